import type { NextFunction, Request, RequestHandler, Response } from "express";

/**
 * Several middlewares mounted as one layer, run in order. Express's router pays for every layer
 * of every request (a path match, a params object, a closure per step); the ones grouped here run
 * for every request they see anyway. Same contract as mounting them one by one: `next(error)`
 * (or a thrown error, or a rejected promise) skips the rest and goes to Express's error handling.
 */
export function inSequence(...handlers: RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    let index = 0;
    const step = (error?: unknown): void => {
      if (error !== undefined && error !== null) {
        next(error);
        return;
      }
      const handler = handlers[index];
      index += 1;
      if (handler === undefined) {
        next();
        return;
      }
      try {
        const result: unknown = handler(req, res, step);
        if (result instanceof Promise) result.catch(next);
      } catch (thrown) {
        next(thrown);
      }
    };
    step();
  };
}
