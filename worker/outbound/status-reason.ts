/**
 * What staff are told of a refusal: the status and a short classified reason. The remote's body is
 * never read into a message: it may be any internal page the URL happened to reach.
 */
export const statusReason = (status: number): string =>
  status === 401 || status === 403
    ? "credentials refused"
    : status === 404
      ? "not found"
      : status === 408 || status === 504
        ? "timed out"
        : status === 429
          ? "rate limited"
          : status >= 500
            ? "server error"
            : status >= 300 && status < 400
              ? "redirect"
              : "request refused";
