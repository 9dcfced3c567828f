// A local S3 for oms's tests: @20minutes/s3rver, which checks SigV4 signatures (header and
// pre-signed), on 127.0.0.1. Usage: node start.js PORT DIRECTORY BUCKET...
// Prints "ready <port>" once it listens; stops on SIGTERM. Credentials: S3RVER / S3RVER.
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
  (address) => console.log(`ready ${address.port}`),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
