// Demo genomics data made at start from a fixed seed (nothing binary is
// committed): a 20 kb reference, a BAM + BAI, a bgzipped VCF + TBI, a
// BEDPE and a CNV TSV, as files in a local directory.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const DEMO_VERSION = 1;
const CONTIG = 'chr1';
const LENGTH = 20000;
const LINE = 60;
const READS = 200;
const READ_LEN = 100;
const SNPS = [1500, 4200, 7777, 12000, 15500, 18100];

function rng (seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function run (cmd, args, input) {
  return new Promise((resolve, reject) => {
    let p;
    try {
      p = spawn(cmd, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    } catch (e) {
      reject(e);
      return;
    }
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    p.on('error', (e) => reject(e.code === 'ENOENT' ? missing(cmd) : e));
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} failed (${code}): ${err.trim()}`))));
    p.stdin.on('error', () => {});
    p.stdin.end(input ?? '');
  });
}

function missing (cmd) {
  return new Error(`aws-sim: '${cmd}' is not installed; the demo data needs samtools, bgzip and tabix (Debian: apt-get install samtools tabix)`);
}

export function checkTools () {
  for (const t of ['samtools', 'bgzip', 'tabix']) {
    const r = spawnSync(t, ['--version'], { stdio: 'ignore' });
    if (r.error) throw missing(t);
  }
}


/**
 * Writes the demo files into dir (reusing them when already there).
 * Returns { files: { fasta, fai, bam, bai, vcf, tbi, bedpe, cnv }, prefix }
 * with file names relative to dir.
 */
export async function makeDemoData (finalDir, sample = 'SAMPLE1') {
  const files = {
    fasta: 'ref.fa',
    fai: 'ref.fa.fai',
    bam: `${sample}.bam`,
    bai: `${sample}.bam.bai`,
    vcf: `${sample}.vcf.gz`,
    tbi: `${sample}.vcf.gz.tbi`,
    bedpe: `${sample}.sv.bedpe`,
    cnv: `${sample}.cnv.tsv`,
  };
  const complete = (d) => {
    const stamp = join(d, '.demo-version');
    return existsSync(stamp) && readFileSync(stamp, 'utf8') === String(DEMO_VERSION) &&
      Object.values(files).every((f) => existsSync(join(d, f)));
  };
  if (complete(finalDir)) return { files };
  // Made in a private directory and renamed into place, so that stand-ins
  // starting at the same time never see half-written files.
  mkdirSync(dirname(finalDir), { recursive: true });
  const dir = mkdtempSync(finalDir + '.tmp-');

  const rand = rng(20261123);
  const bases = 'ACGT';
  let ref = '';
  for (let i = 0; i < LENGTH; i++) ref += bases[Math.floor(rand() * 4)];
  let fa = `>${CONTIG} Genokey demo contig\n`;
  const header = fa.length;
  for (let i = 0; i < LENGTH; i += LINE) fa += ref.slice(i, i + LINE) + '\n';
  writeFileSync(join(dir, files.fasta), fa);
  writeFileSync(join(dir, files.fai), `${CONTIG}\t${LENGTH}\t${header}\t${LINE}\t${LINE + 1}\n`);

  // Alternate alleles at the SNP sites: half of the reads carry them.
  const alt = new Map(SNPS.map((p) => [p, bases[(bases.indexOf(ref[p - 1]) + 2) % 4]]));
  let sam = `@HD\tVN:1.6\tSO:unsorted\n@SQ\tSN:${CONTIG}\tLN:${LENGTH}\n@RG\tID:rg1\tSM:${sample}\tPL:ILLUMINA\n@PG\tID:genokey-demo\tPN:genokey-aws-sim\n`;
  for (let r = 0; r < READS; r++) {
    // Reads cluster around the SNP sites so a viewer shows them.
    const site = SNPS[r % SNPS.length];
    const pos = Math.max(1, Math.min(LENGTH - READ_LEN + 1, site - Math.floor(rand() * READ_LEN)));
    let seq = ref.slice(pos - 1, pos - 1 + READ_LEN).split('');
    const carries = rand() < 0.5;
    let nm = 0;
    for (const [p, a] of alt) {
      if (carries && p >= pos && p < pos + READ_LEN) { seq[p - pos] = a; nm++; }
    }
    seq = seq.join('');
    const reverse = rand() < 0.5;
    const flag = reverse ? 16 : 0;
    const qual = 'I'.repeat(READ_LEN);
    sam += `read${String(r + 1).padStart(4, '0')}\t${flag}\t${CONTIG}\t${pos}\t60\t${READ_LEN}M\t*\t0\t0\t${seq}\t${qual}\tRG:Z:rg1\tNM:i:${nm}\n`;
  }

  let vcf = '##fileformat=VCFv4.2\n##source=genokey-aws-sim\n' +
    `##contig=<ID=${CONTIG},length=${LENGTH}>\n` +
    '##INFO=<ID=DP,Number=1,Type=Integer,Description="Total depth">\n' +
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n' +
    `#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t${sample}\n`;
  for (const [p, a] of alt) vcf += `${CONTIG}\t${p}\t.\t${ref[p - 1]}\t${a}\t60\tPASS\tDP=${30 + (p % 17)}\tGT\t0/1\n`;

  const bedpe = 'chrom1\tstart1\tend1\tchrom2\tstart2\tend2\tsv_id\tpe_support\tstrand1\tstrand2\tsvclass\tsvmethod\n' +
    `${CONTIG}\t2000\t2001\t${CONTIG}\t5000\t5001\tsv1\t12\t+\t-\tDEL\tdemo\n` +
    `${CONTIG}\t8000\t8001\t${CONTIG}\t11000\t11001\tsv2\t9\t-\t+\tDUP\tdemo\n` +
    `${CONTIG}\t13000\t13001\t${CONTIG}\t16000\t16001\tsv3\t7\t+\t+\th2hINV\tdemo\n`;
  const cnv = 'chromosome\tstart\tend\ttotal_cn\tmajor_cn\tminor_cn\n' +
    `${CONTIG}\t1\t5000\t2\t1\t1\n${CONTIG}\t5001\t11000\t3\t2\t1\n${CONTIG}\t11001\t${LENGTH}\t1\t1\t0\n`;
  writeFileSync(join(dir, files.bedpe), bedpe);
  writeFileSync(join(dir, files.cnv), cnv);

  const bam = join(dir, files.bam);
  const vcfPath = join(dir, files.vcf);
  try {
    await Promise.all([
      run('samtools', ['sort', '--no-PG', '--write-index', '-o', `${bam}##idx##${bam}.bai`, '-'], sam),
      run('bgzip', ['-c', '-f', '-o', vcfPath], vcf).catch(async (e) => {
        if (/invalid option|unrecognized/.test(e.message)) return bgzipToFile(vcf, vcfPath);
        throw e;
      }).then(() => run('tabix', ['-f', '-p', 'vcf', vcfPath])),
    ]);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(e.message.startsWith('aws-sim:') ? e.message : `aws-sim: making the demo data failed: ${e.message}`);
  }
  writeFileSync(join(dir, '.demo-version'), String(DEMO_VERSION));
  try {
    if (existsSync(finalDir) && !complete(finalDir)) rmSync(finalDir, { recursive: true, force: true });
    renameSync(dir, finalDir);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    if (!complete(finalDir)) throw e;
  }
  return { files };
}

function bgzipToFile (text, path) {
  return new Promise((resolve, reject) => {
    const p = spawn('bgzip', ['-c'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const out = [];
    p.stdout.on('data', (d) => out.push(d));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error('bgzip failed'));
      writeFileSync(path, Buffer.concat(out));
      resolve();
    });
    p.stdin.end(text);
  });
}
