// AWS SDK for JavaScript v3 getSignedUrl throughput, for presign-bench.sh.
//   node presign-sdk.mjs N   → "links_per_second X"
// SPDX-License-Identifier: GPL-3.0-or-later
import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const token = Array.from({ length: 799 }, (_, i) => ALPHABET[(i * 7 + 3) % 64]).join('') + '=';
const client = new S3Client({
  region: 'eu-west-2',
  credentials: { accessKeyId: 'ASIAEXAMPLEEXAMPLE12', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', sessionToken: token },
});
const n = Number(process.argv[2] ?? 5000);
for (let i = 0; i < 200; i++) // warm-up: let the JIT settle first
  await getSignedUrl(client, new GetObjectCommand({ Bucket: 'demo-lab', Key: `warm/${i}` }), { expiresIn: 3600 });
const start = process.cpuUsage(); // CPU time: a busy machine does not skew it
let total = 0;
for (let i = 0; i < n; i++) {
  const key = `cohort-7/sample-${String(i % 1000000).padStart(6, '0')}/reads.bam`;
  total += (await getSignedUrl(client, new GetObjectCommand({ Bucket: 'demo-lab', Key: key }), { expiresIn: 3600 })).length;
}
const used = process.cpuUsage(start);
const secs = (used.user + used.system) / 1e6;
console.log(`links_per_second ${(n / secs).toFixed(0)}`);
