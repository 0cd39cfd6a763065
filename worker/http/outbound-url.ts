import { outboundUrlProblem, URL_PROBLEM_MESSAGES } from "../outbound/url-policy";
import { ApiError } from "./error";

/** Refuses, as 400 `url_not_allowed`, a URL the edge would call that the outbound policy forbids. */
export function assertOutboundUrl(url: string, local: boolean, field: string): void {
  const problem = outboundUrlProblem(url, { local });
  if (problem) throw new ApiError(400, "url_not_allowed", `${field} ${URL_PROBLEM_MESSAGES[problem]}`, { field, reason: problem });
}
