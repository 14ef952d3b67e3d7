// tsyringe checks for the Reflect metadata API when it loads; install it first.
import "reflect-metadata";

export { inject, injectAll, injectable } from "tsyringe";
