// The smallest function: a string answer is sent as text/plain.
module.exports = {
  hello: () => 'hello world',
};
