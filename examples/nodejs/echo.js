/* global module -- CommonJS, as functions for the original Kubeless were written */
// Echoes the JSON body back, with the event fields a caller may want to correlate on.
module.exports = {
  echo: (event) => ({
    received: event.data,
    eventId: event['event-id'],
    method: event.extensions.request.method,
  }),
};
