import type { TerminalFault } from "./fault-injector";
import type { ResponseFormat } from "../protocol/common-params";
import { ecsErrors, THROTTLING_ERRORS } from "../models";
import { renderError, type WireResponse } from "../responses/render";

/** What a proxy in front of ECS answers when its upstream fails: HTML, not the API's JSON. */
const BAD_GATEWAY_PAGE =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n" +
  "<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n";

/** A fault as the client sees it; undefined means the connection is dropped without an answer. */
export function faultResponse(fault: TerminalFault, format: ResponseFormat): WireResponse | undefined {
  switch (fault.kind) {
    case "drop":
    case "drop-after-apply":
      return undefined;
    case "bad-gateway":
      return { status: 502, headers: { "content-type": "text/html" }, body: BAD_GATEWAY_PAGE };
    case "throttling":
      return renderError((THROTTLING_ERRORS[fault.code ?? "Throttling"] ?? ecsErrors.throttling)(), format);
    case "timeout":
    case "timeout-after-apply":
    case "timeout-then-apply":
      return renderError(ecsErrors.requestTimeout(), format);
    case "server-error":
      return renderError(ecsErrors.internalError(), format);
    case "unavailable":
      return renderError(ecsErrors.serviceUnavailable(), format);
  }
}
