// The invoke proxy's cap on a request body, the same on both platforms (`kubeless api
// --body-limit` changes it on a cluster). It is a ceiling, not the function's limit: each runtime
// refuses bodies over its own KUBELESS_BODY_LIMIT (1 MiB unless the Function sets it) with a 413
// that the proxy turns into a Status, so a Function that raises its limit takes bigger bodies on
// the cluster and locally alike (test/contract).
export const INVOKE_BODY_LIMIT_BYTES = 10 * 1024 * 1024;
