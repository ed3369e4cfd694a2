/* global module -- CommonJS, as functions for the original Kubeless were written */
// Sets a status code and a header, the way functions for the original Kubeless did.
module.exports = {
  create: (event) => {
    const name = event.extensions.request.query.name;
    if (!name) {
      event.extensions.response.status(400);
      return { error: 'pass ?name=...' };
    }
    event.extensions.response.status(201).set('Location', `/items/${encodeURIComponent(name)}`);
    return { created: name };
  },
};
