// A local S3 for oms's tests: @20minutes/s3rver, which checks SigV4 signatures (header and
// pre-signed), on 127.0.0.1. Usage: node start.js PORT DIRECTORY BUCKET...
// Prints "ready <port>" once it listens; stops on SIGTERM. Credentials: S3RVER / S3RVER.
// With S3RVER_REQUEST_LOG=FILE every request's method and target is appended to FILE (tests read
// it to see which S3 operations a client used, e.g. a multipart upload's parts).
const fs = require('fs');
const S3rver = require('@20minutes/s3rver');

const [port, directory, ...buckets] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: Number(port),
  directory,
  silent: true,
  vhostBuckets: false,
  configureBuckets: buckets.map((name) => ({ name })),
});
server.run().then(
  (address) => {
    const requestLog = process.env.S3RVER_REQUEST_LOG;
    if (requestLog) {
      const out = fs.createWriteStream(requestLog, { flags: 'a' });
      server.httpServer.on('request', (req) => out.write(`${req.method} ${req.url}\n`));
    }
    console.log(`ready ${address.port}`);
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
