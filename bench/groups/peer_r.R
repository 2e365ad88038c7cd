# R side of the grouped-fit benchmark (issue 9), as a whole process: read the CSV, fit every
# compound with minpack.lm::nlsLM (Levenberg–Marquardt, MINPACK lmdif with forward differences,
# R's default nls.lm tolerances) from the same data-based guess as peer_scipy.py, report.
#   Rscript bench/groups/peer_r.R CURVES.csv TRUTH.csv   -> one JSON line on stdout
# The formula is biograd's `4pl` on log10 concentration. drc is not packaged for this machine's
# R (Debian's r-cran-* has no drc), so the per-group loop is what drc's drm would run per curve
# minus its own self-start. A fit counts as converged when nlsLM returns without an error and
# reports convergence (isConv) with finite estimates.
suppressPackageStartupMessages(library(minpack.lm))
args <- commandArgs(trailingOnly = TRUE)
t0 <- proc.time()[["elapsed"]]
d <- read.csv(args[1], colClasses = c("character", "numeric", "numeric"))
truth <- read.csv(args[2], colClasses = c("character", "numeric", "numeric", "numeric", "numeric"))
groups <- split(seq_len(nrow(d)), factor(d$compound, levels = unique(d$compound)))
guess <- function(x, y) {
  xs <- sort(unique(x))
  means <- vapply(xs, function(v) mean(y[x == v]), 0)
  lo <- min(means); hi <- max(means); half <- (lo + hi) / 2
  mid <- median(x)
  for (i in seq_len(length(xs) - 1)) {
    a <- means[i] - half; b <- means[i + 1] - half
    if (a == 0 || a * b < 0) { mid <- xs[i] + (xs[i + 1] - xs[i]) * a / (a - b); break }
  }
  falling <- means[length(means)] < means[1]
  list(bottom = min(y), top = max(y), logEC50 = mid, hill = if (falling) -1 else 1)
}
form <- response ~ bottom + (top - bottom) / (1 + 10^((logEC50 - logconc) * hill))
n <- length(groups)
est <- rep(NA_real_, n); conv <- logical(n); iters <- rep(NA_integer_, n)
for (g in seq_len(n)) {
  rows <- d[groups[[g]], ]
  fit <- tryCatch(nlsLM(form, data = rows, start = guess(rows$logconc, rows$response)),
                  error = function(e) NULL)
  if (!is.null(fit)) {
    cf <- coef(fit)
    conv[g] <- isTRUE(fit$convInfo$isConv) && all(is.finite(cf))
    est[g] <- cf[["logEC50"]]
    iters[g] <- fit$convInfo$finIter
  }
}
seconds <- proc.time()[["elapsed"]] - t0
truthEC <- setNames(truth$logEC50, truth$compound)
delta <- abs(est - truthEC[names(groups)])[conv]
cat(jsonlite::toJSON(list(
  curves = n, converged = sum(conv), seconds = seconds,
  medianAbsDeltaLogEC50 = median(delta), medianIterations = median(iters[conv]),
  r = R.version.string, minpack.lm = as.character(packageVersion("minpack.lm"))
), auto_unbox = TRUE, digits = NA), "\n")
