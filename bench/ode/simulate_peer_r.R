# R side of the ODE simulation benchmark (its own process), run by simulate-run.mjs:
#   Rscript bench/ode/simulate_peer_r.R SPEC_DIR MIN_RUNS MIN_MS
# SPEC_DIR holds one CSV per problem (written by simulate-run.mjs, base R reads no JSON).
# What a deSolve user writes: lsoda() with an R right-hand side and the analytic Jacobian
# (jactype "fullusr"); sensitivities as the augmented system [x; S] with dS/dt = J S + P and
# the block-diagonal Jacobian. Writes one JSON object to stdout (by hand).
suppressMessages(library(deSolve))
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
min_runs <- as.numeric(args[2])
min_ms <- as.numeric(args[3])
now_ms <- function() as.numeric(Sys.time()) * 1000
probs <- read.csv(file.path(dir, "problems.csv"), stringsAsFactors = FALSE)

rober <- function(k) list(
  n = 3, np = 3,
  f = function(x) {
    a <- k[1] * x[1]; b <- k[2] * x[2] * x[3]; c <- k[3] * x[2]^2
    c(-a + b, a - b - c, c)
  },
  jac = function(x) matrix(c(-k[1], k[2] * x[3], k[2] * x[2],
                             k[1], -k[2] * x[3] - 2 * k[3] * x[2], -k[2] * x[2],
                             0, 2 * k[3] * x[2], 0), 3, 3, byrow = TRUE),
  pjac = function(x) matrix(c(-x[1], x[2] * x[3], 0,
                              x[1], -x[2] * x[3], -x[2]^2,
                              0, 0, x[2]^2), 3, 3, byrow = TRUE))

chain <- function(name) {
  ch <- read.csv(file.path(dir, paste0(name, "-chain.csv")))
  sp <- read.csv(file.path(dir, paste0(name, "-sens.csv")), stringsAsFactors = FALSE)
  kf <- ch$kf; kb <- ch$kb; n <- length(kf) + 1
  nl <- scan(file.path(dir, paste0(name, "-nl.txt")), quiet = TRUE)
  kn <- nl[1]; a <- nl[2] + 1; b <- nl[3] + 1; cc <- nl[4] + 1
  i <- seq_len(n - 1)
  base <- matrix(0, n, n)
  base[cbind(i, i)] <- base[cbind(i, i)] - kf
  base[cbind(i, i + 1)] <- base[cbind(i, i + 1)] + kb
  base[cbind(i + 1, i)] <- base[cbind(i + 1, i)] + kf
  base[cbind(i + 1, i + 1)] <- base[cbind(i + 1, i + 1)] - kb
  list(
    n = n, np = nrow(sp),
    f = function(x) {
      flux <- kf * x[-n] - kb * x[-1]
      dx <- c(-flux, 0) + c(0, flux)
      r <- kn * x[a] * x[b]
      dx[a] <- dx[a] - r; dx[b] <- dx[b] - r; dx[cc] <- dx[cc] + r
      dx
    },
    jac = function(x) {
      J <- base
      for (rs in list(c(a, -1), c(b, -1), c(cc, 1))) {
        J[rs[1], a] <- J[rs[1], a] + rs[2] * kn * x[b]
        J[rs[1], b] <- J[rs[1], b] + rs[2] * kn * x[a]
      }
      J
    },
    pjac = function(x) {
      P <- matrix(0, n, nrow(sp))
      for (l in seq_len(nrow(sp))) {
        k <- sp$index[l] + 1
        if (sp$kind[l] == "kf") { P[k, l] <- -x[k]; P[k + 1, l] <- x[k] }
        else if (sp$kind[l] == "kb") { P[k, l] <- x[k + 1]; P[k + 1, l] <- -x[k + 1] }
        else { r <- x[a] * x[b]; P[a, l] <- -r; P[b, l] <- -r; P[cc, l] <- r }
      }
      P
    })
}

num <- function(v) paste0("[", paste(sprintf("%.17g", v), collapse = ","), "]")
parts <- character(0)
for (r in seq_len(nrow(probs))) {
  p <- probs[r, ]
  times <- scan(file.path(dir, paste0(p$name, "-times.txt")), quiet = TRUE)
  y0 <- scan(file.path(dir, paste0(p$name, "-y0.txt")), quiet = TRUE)
  m <- if (p$model == "robertson") rober(scan(file.path(dir, paste0(p$name, "-k.txt")), quiet = TRUE)) else chain(p$name)
  n <- m$n; np <- m$np
  if (p$sens) {
    z0 <- c(y0, rep(0, n * np))
    # S row-major (state, parameter), as biograd stores it: vec(t(S))
    func <- function(t, z, parms) {
      x <- z[1:n]; S <- matrix(z[-(1:n)], n, np, byrow = TRUE)
      list(c(m$f(x), t(m$jac(x) %*% S + m$pjac(x))))
    }
    jacfunc <- function(t, z, parms) {
      J <- m$jac(z[1:n]); M <- matrix(0, n * (np + 1), n * (np + 1))
      M[1:n, 1:n] <- J; M[-(1:n), -(1:n)] <- kronecker(J, diag(np)); M
    }
  } else {
    z0 <- y0
    func <- function(t, z, parms) list(m$f(z))
    jacfunc <- function(t, z, parms) m$jac(z)
  }
  run <- function() lsoda(z0, times, func, NULL, rtol = p$rtol, atol = p$atol, jacfunc = jacfunc,
                          jactype = "fullusr", maxsteps = 1e6)
  out <- run()
  ms <- numeric(0); started <- now_ms()
  while (length(ms) < min_runs || now_ms() - started < min_ms) {
    t0 <- now_ms(); out <- run(); ms <- c(ms, now_ms() - t0)
  }
  last <- out[nrow(out), -1]
  parts <- c(parts, sprintf("\"%s\":{\"ms\":%s,\"final\":%s,\"finalSens\":%s}", p$name,
    num(ms), num(last[1:n]),
    if (p$sens) num(last[-(1:n)]) else "null"))
}
cat(sprintf("{\"deSolve\":\"%s\",\"R\":\"%s\",\"problems\":{%s}}\n", packageVersion("deSolve"),
  paste(R.version$major, R.version$minor, sep = "."), paste(parts, collapse = ",")))
