# R peer of bench/ode/fit-bench.mjs: Lotka-Volterra fitted the way a deSolve user would
# (ode lsoda rtol 1e-8 / atol 1e-10 inside minpack.lm nls.lm, its forward-difference Jacobian,
# lower bounds 0). Prints one JSON line: time per fit from the reasonable start (best of 3)
# and the RSS from each far start (null when the fit failed, "not run" once the peer has run
# longer than argv[2] seconds, default 480; "time cap" when one far start runs longer than
# argv[3] seconds, default 60), so the benchmark ends in bounded time.
suppressPackageStartupMessages({ library(deSolve); library(minpack.lm); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
starts <- fromJSON(args[1], simplifyVector = FALSE)
budget <- if (length(args) > 1) as.numeric(args[2]) else 480
per_start <- if (length(args) > 2) as.numeric(args[3]) else 60
deadline <- Inf
began <- proc.time()[["elapsed"]]
d <- read.csv("examples/ode/lotka-volterra.csv", na.strings = "")
obs <- cbind(d$prey, d$predator); present <- !is.na(obs)
names_ <- c("alpha", "beta", "delta", "gamma", "x0", "y0")
rhs <- function(t, y, p) {
  if (proc.time()[["elapsed"]] > deadline) stop("time cap") # one solve can crawl: check inside
  list(c(p[1] * y[1] - p[2] * y[1] * y[2], p[3] * y[1] * y[2] - p[4] * y[2]))
}
resid <- function(p) {
  out <- tryCatch(ode(c(p[5], p[6]), d$t, rhs, p, method = "lsoda", rtol = 1e-8, atol = 1e-10),
                  error = function(e) if (conditionMessage(e) == "time cap") stop(e) else NULL,
                  warning = function(w) NULL)
  if (is.null(out) || nrow(out) != nrow(d)) return(rep(1e10, sum(present)))
  (out[, 2:3] - obs)[present]
}
fit <- function(s) {
  p0 <- unlist(s[names_])
  f <- nls.lm(p0, lower = rep(0, 6), fn = resid, control = nls.lm.control(maxiter = 200))
  sum(resid(f$par)^2)
}
times <- sapply(1:3, function(i) system.time(rss <<- fit(starts$reasonable))[["elapsed"]])
far <- lapply(starts$far, function(s) {
  if (proc.time()[["elapsed"]] - began > budget) return("not run")
  deadline <<- proc.time()[["elapsed"]] + per_start
  r <- tryCatch(fit(s), error = function(e) if (conditionMessage(e) == "time cap") "time cap" else NULL)
  deadline <<- Inf
  r
})
cat(toJSON(list(fit = list(ms = min(times) * 1000, rss = rss), far = far), auto_unbox = TRUE, digits = NA, null = "null"), "\n")
