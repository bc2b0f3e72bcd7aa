export {
  installFunctionsCore,
  type CapturedFunction,
  type CapturedRegistry,
} from "../../src/local/functionsCore.js";
