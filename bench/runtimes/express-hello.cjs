/* global module -- CommonJS, as functions for the original Kubeless were written */
// A hello world that uses event.extensions as functions for the original Kubeless did: it reads
// the request's path and sets a status and a header on the response (bench/runtimes.ts).
module.exports.hello = (event) => {
  const { request, response } = event.extensions;
  response.status(200).set('X-Path', request.path);
  return 'hello world';
};
