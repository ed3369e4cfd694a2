/* global module -- CommonJS, as functions for the original Kubeless were written */
// The smallest function: a string answer is sent as text/plain.
module.exports = {
  hello: () => 'hello world',
};
