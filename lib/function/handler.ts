// spec.handler split into the module (the code file without its suffix) and the function it
// exports, the one way every part reads it.

export interface HandlerParts {
  module: string;
  functionName: string;
}

/** `hello.foo` → module `hello`, function `foo`; the last dot splits, so a module name may itself hold dots. */
export function splitHandler(handler: string): HandlerParts {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0 || dot === handler.length - 1) {
    throw new Error(
      `spec.handler "${handler}" must be "<module>.<function>", for example "handler.hello" for hello() in handler.js`,
    );
  }
  return { module: handler.slice(0, dot), functionName: handler.slice(dot + 1) };
}
