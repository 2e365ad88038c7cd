# R side of the curve-fitting benchmark, run as its own process by curve-run.mjs.
#   Rscript bench/curve_peer_r.R bench/out/curve-manifest.csv MIN_FITS MIN_MS MAX_FITS WARM_FITS WARM_MS
# writes one JSON object to stdout (by hand: base R has no JSON writer).
#
# Each fit is the plain call a user types: nls(y ~ <formula>, data, start) with the default
# control (Gauss-Newton, forward-difference derivatives, tol 1e-5, maxiter 50). An error
# (singular gradient, step factor reduced below minFactor, ...) is a failed fit and is
# recorded with its message; its time is measured like any other.

args <- commandArgs(trailingOnly = TRUE)
manifest <- read.csv(args[1], stringsAsFactors = FALSE)
pol <- as.numeric(args[2:6])
names(pol) <- c("minFits", "minMs", "maxFits", "warmupFits", "warmupMs")

now_ms <- function() as.numeric(Sys.time()) * 1000

repeat_fit <- function(fn, min_count, min_ms, max_count) {
  ms <- numeric(0)
  last <- NULL
  t0 <- now_ms()
  while (length(ms) < max_count && (length(ms) < min_count || now_ms() - t0 < min_ms)) {
    t <- now_ms()
    last <- fn()
    ms <- c(ms, now_ms() - t)
  }
  list(ms = ms, last = last)
}

num <- function(v) {
  if (length(v) == 0) return("null")
  paste(ifelse(is.finite(v), sprintf("%.17g", v), "null"), collapse = ",")
}
str_json <- function(s) {
  s <- gsub("\\\\", "\\\\\\\\", s)
  s <- gsub("\"", "\\\\\"", s)
  s <- gsub("[\r\n\t]+", " ", s)
  paste0("\"", s, "\"")
}

results <- character(0)
for (k in seq_len(nrow(manifest))) {
  m <- manifest[k, ]
  df <- read.csv(m$data)
  params <- strsplit(m$params, " ")[[1]]
  start <- as.list(as.numeric(strsplit(m$start, " ")[[1]]))
  names(start) <- params
  form <- as.formula(paste("y ~", m$formula))
  fit_once <- function() {
    tryCatch({
      fit <- nls(form, data = df, start = start)
      list(ok = TRUE, est = unname(coef(fit)[params]), rss = deviance(fit),
           conv = fit$convInfo$isConv, iter = fit$convInfo$finIter,
           msg = fit$convInfo$stopMessage)
    }, error = function(e) list(ok = FALSE, msg = conditionMessage(e)))
  }
  repeat_fit(fit_once, pol[["warmupFits"]], pol[["warmupMs"]], pol[["maxFits"]])
  r <- repeat_fit(fit_once, pol[["minFits"]], pol[["minMs"]], pol[["maxFits"]])
  last <- r$last
  body <- if (last$ok) {
    sprintf("\"converged\":%s,\"estimates\":[%s],\"rss\":%s,\"iterations\":%d,\"stop\":%s",
            if (isTRUE(last$conv)) "true" else "false", num(last$est), num(last$rss),
            as.integer(last$iter), str_json(last$msg))
  } else {
    sprintf("\"converged\":false,\"estimates\":null,\"error\":%s", str_json(last$msg))
  }
  results <- c(results, sprintf(
    "{\"id\":%s,\"modes\":{\"nls\":{\"medianMs\":%s,\"minMs\":%s,\"fits\":%d,\"sum\":%s,%s}}}",
    str_json(m$id), num(median(r$ms)), num(min(r$ms)), length(r$ms), num(sum(r$ms)), body))
}
cat(sprintf("{\"peer\":\"R\",\"versions\":{\"R\":%s},\"results\":[%s]}\n",
            str_json(R.version.string), paste(results, collapse = ",")))
