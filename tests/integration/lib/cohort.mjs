// Cohorts in the stand-in's S3: a small one with every odd case index
// pairing must get right, and big ones for the benchmarks. The files hold a
// few bytes each: pairing reads names, not contents.

// A sample folder's files, as labs lay them out.
export function sampleKeys (prefix, id) {
  const d = `${prefix}${id}/`;
  return {
    bam: `${d}${id}.bam`,
    bai: `${d}${id}.bam.bai`,
    vcf: `${d}${id}.vcf.gz`,
    tbi: `${d}${id}.vcf.gz.tbi`,
    sv: `${d}${id}.sv.bedpe`,
    cnv: `${d}${id}.cnv.tsv`,
  };
}

function put (sim, bucket, key) {
  sim.putObject(bucket, key, `(${key})`);
}

/**
 * The odd cohort in @bucket under cohort/: returns the s3:// addresses of
 * its data files (some twice, some with no index, one in a missing bucket)
 * in the order a user might list them.
 */
export function makeOddCohort (sim, bucket = 'odd-lab') {
  sim.createBucket(bucket);
  const keys = [
    // The usual pair.
    'cohort/S1/S1.bam', 'cohort/S1/S1.bam.bai',
    // Only the short index name.
    'cohort/S2/S2.bam', 'cohort/S2/S2.bai',
    // .bai next to .bam.bai: .bam.bai wins.
    'cohort/S3/S3.bam', 'cohort/S3/S3.bam.bai', 'cohort/S3/S3.bai',
    // No index at all.
    'cohort/S4/S4.bam', 'cohort/S4/S4.bam.bai.old',
    // VCF with CSI only, VCF with both (tabix wins), BGZF VCF named .vcf.bgz.
    'cohort/S5/S5.vcf.gz', 'cohort/S5/S5.vcf.gz.csi',
    'cohort/S6/S6.vcf.gz', 'cohort/S6/S6.vcf.gz.tbi', 'cohort/S6/S6.vcf.gz.csi',
    // Spaces and non-ASCII, in folder and file names.
    'cohort/S 7 é/S 7 é.bam', 'cohort/S 7 é/S 7 é.bam.bai',
    'cohort/S 7 é/Ünï çødé.vcf.gz', 'cohort/S 7 é/Ünï çødé.vcf.gz.tbi',
    // BCF with its CSI; CRAM with the short index name.
    'cohort/S8/S8.bcf', 'cohort/S8/S8.bcf.csi',
    'cohort/S9/S9.cram', 'cohort/S9/S9.crai',
    // A mixed folder: several samples, unrelated files, an index in a
    // subfolder (which does not count), names differing only in case.
    'cohort/mixed/A.bam', 'cohort/mixed/A.bam.bai', 'cohort/mixed/A.fastq.gz',
    'cohort/mixed/B.bam', 'cohort/mixed/qc/B.bam.bai', 'cohort/mixed/B.flagstat',
    'cohort/mixed/C.BAM', 'cohort/mixed/C.BAM.bai',
    'cohort/mixed/D.bam', 'cohort/mixed/D.BAI',
    'cohort/mixed/E.sv.bedpe', 'cohort/mixed/E.cnv.tsv',
    // At the top of the bucket.
    'top.bam', 'top.bai',
  ];
  // A sparse folder: two BAMs with thousands of other keys between them,
  // where listing costs more than asking for the index names.
  keys.push('cohort/sparse/A.bam', 'cohort/sparse/A.bam.bai', 'cohort/sparse/Z.bam', 'cohort/sparse/Z.bai');
  for (let i = 0; i < 2500; i++) keys.push(`cohort/sparse/M${String(i).padStart(5, '0')}.fastq.gz`);
  for (const k of keys) put(sim, bucket, k);

  const data = [
    'cohort/S1/S1.bam', 'cohort/S2/S2.bam', 'cohort/S3/S3.bam', 'cohort/S4/S4.bam',
    'cohort/S5/S5.vcf.gz', 'cohort/S6/S6.vcf.gz', 'cohort/S 7 é/S 7 é.bam',
    'cohort/S 7 é/Ünï çødé.vcf.gz', 'cohort/S8/S8.bcf', 'cohort/S9/S9.cram',
    'cohort/mixed/A.bam', 'cohort/mixed/B.bam', 'cohort/mixed/C.BAM', 'cohort/mixed/D.bam',
    'cohort/mixed/E.sv.bedpe', 'top.bam', 'cohort/sparse/A.bam', 'cohort/sparse/Z.bam',
    // The same file twice, and one that is not there.
    'cohort/S1/S1.bam', 'cohort/S10/S10.bam',
  ];
  return [
    ...data.map((k) => `s3://${bucket}/${k}`),
    // A bucket that does not exist.
    's3://no-such-lab-bucket/c/S1.bam',
  ];
}

/**
 * A cohort for Chromoscope in @bucket under @prefix: @n sample folders with
 * BAM, BAI, VCF, TBI, SV and CNV each (ids S00001…), plus the manifest text
 * naming them. @odd adds a sample with spaces and non-ASCII in its names and
 * one whose index has the short name.
 */
export function makeChromoscopeCohort (sim, { bucket, prefix, n, odd = false }) {
  sim.createBucket(bucket);
  const ids = Array.from({ length: n }, (_, i) => `S${String(i + 1).padStart(5, '0')}`);
  if (odd) ids.push('S 7 é', 'Short');
  const rows = ['id\tcancer\tassembly\tsv\tcnv\tbam\tvcf'];
  for (const id of ids) {
    const k = sampleKeys(prefix, id);
    if (id === 'Short') k.bai = `${prefix}${id}/${id}.bai`;
    for (const key of Object.values(k)) put(sim, bucket, key);
    const u = (key) => `s3://${bucket}/${key}`;
    rows.push([id, 'unknown', 'hg38', u(k.sv), u(k.cnv), u(k.bam), u(k.vcf)].join('\t'));
  }
  return { ids, manifest: rows.join('\n') + '\n' };
}
