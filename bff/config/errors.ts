import { ConfigError } from "../../common/env";

/** The BFF's configuration cannot be used; `problems` lists every reason (names, never values). */
export class BffConfigError extends ConfigError {
  constructor(problems: string[]) {
    super("BFF configuration", problems);
    this.name = "BffConfigError";
  }
}
