# Reference values for the second round of dxlab.stats: psych's zero-cell rule, tetrachoric, polyserial,
# cor.smooth, omega on improper (Heywood) solutions, boot.ci on tied data, exact small-sample p-values and
# the Rao-Scott corrected chi-square of survey::svychisq(statistic = "F").
#
# Data: psych's `bfi` (as re-keyed by stats_reference.R into tests/reference/stats/bfi_keyed.csv), psych's
# `sat.act` (700 respondents: ACT, SAT verbal and quantitative) and MASS's `housing` (Copenhagen housing
# satisfaction, 1681 residents as a frequency table).
#
# Run from the project root after stats_reference.R
# (Debian: apt-get install r-base-core r-cran-psych r-cran-polycor r-cran-boot r-cran-survey r-cran-mass):
#   Rscript scripts/r/stats_reference_extra.R
# Output: tests/reference/stats/extra_*.csv (committed; the tests read them, CI does not need R).

suppressPackageStartupMessages({
  library(psych)
  library(polycor)
  library(boot)
  library(survey)
  library(MASS)
})

out <- "tests/reference/stats"
write <- function(frame, name) write.csv(frame, file.path(out, name), row.names = FALSE, na = "")
x <- read.csv(file.path(out, "bfi_keyed.csv"))
ac <- c(paste0("A", 1:5), paste0("C", 1:5))

# ---- psych::polychoric(global = FALSE, correct = .5): as users call it and its likelihood maximised tightly
psych_pairwise_tight <- function(a, b, correct = 0.5) {
  tab <- table(factor(a, levels = 1:6), factor(b, levels = 1:6))
  tot <- sum(tab)
  tab <- tab / tot
  tab <- tab[rowSums(tab) > 0, , drop = FALSE]
  tab <- tab[, colSums(tab) > 0, drop = FALSE]
  if (correct > 0 && any(tab == 0)) tab[tab == 0] <- correct / tot
  cc <- qnorm(cumsum(colSums(tab))[-ncol(tab)])
  rc <- qnorm(cumsum(rowSums(tab))[-nrow(tab)])
  optimize(psych:::polyF, interval = c(-1, 1), rc = rc, cc = cc, tab = tab, tol = 1e-12)$minimum
}
correct_rows <- list()
for (subset in c("all", "first60")) {
  d <- if (subset == "all") x[, ac] else x[1:60, ac]
  p <- suppressWarnings(polychoric(d, global = FALSE, correct = 0.5, smooth = FALSE)$rho)
  for (i in 1:(length(ac) - 1)) for (j in (i + 1):length(ac)) {
    correct_rows[[length(correct_rows) + 1]] <- data.frame(
      rows = subset, x = ac[i], y = ac[j], rho_psych = p[i, j],
      rho_psych_tight = psych_pairwise_tight(d[[i]], d[[j]]))
  }
}
write(do.call(rbind, correct_rows), "extra_psych_correct.csv")

# ---- tetrachoric: items dichotomised at >= 4, psych's defaults (global thresholds, correct = .5) --------
dich <- as.data.frame(lapply(x[, ac], function(v) as.integer(v >= 4)))
tetra_tight <- function(a, b, ta, tb, correct = 0.5) {
  tab <- table(factor(a, levels = 0:1), factor(b, levels = 0:1))
  if (sum(tab) > 1 && min(tab) == 0 && correct > 0) tab[tab == 0] <- correct
  optimize(psych:::tetraF, interval = c(-1, 1), rc = tb, cc = ta, tab = tab, tol = 1e-12)$minimum
}
tetra_rows <- list()
for (subset in c("all", "first60")) {
  d <- if (subset == "all") dich else dich[1:60, ]
  tt <- suppressMessages(suppressWarnings(tetrachoric(d, smooth = FALSE)))
  tp <- suppressMessages(suppressWarnings(tetrachoric(d, smooth = FALSE, global = FALSE)))
  tau <- -qnorm(colMeans(d, na.rm = TRUE))
  for (i in 1:(length(ac) - 1)) for (j in (i + 1):length(ac)) {
    tetra_rows[[length(tetra_rows) + 1]] <- data.frame(
      rows = subset, x = ac[i], y = ac[j], rho_psych = tt$rho[i, j],
      rho_psych_tight = suppressMessages(tetra_tight(d[[i]], d[[j]], tau[i], tau[j])),
      rho_psych_pairwise = tp$rho[i, j])
  }
}
write(do.call(rbind, tetra_rows), "extra_tetrachoric.csv")

# ---- polyserial: age (continuous) with each item; polycor's two-step estimate and psych's --------------
poly_rows <- list()
complete <- x[complete.cases(x[, c(ac, "age")]), ]
psych_complete <- psych::polyserial(complete[, "age", drop = FALSE], complete[, ac])
for (k in seq_along(ac)) {
  item <- ac[k]
  poly_rows[[k]] <- data.frame(
    x = "age", y = item,
    rho_polycor = polycor::polyserial(x$age, x[[item]]),
    rho_polycor_complete = polycor::polyserial(complete$age, complete[[item]]),
    rho_psych_complete = psych_complete[k, 1])
}
write(do.call(rbind, poly_rows), "extra_polyserial.csv")

# ---- cor.smooth: a pairwise-deleted Pearson matrix that is not positive definite -----------------------
set.seed(14)
m <- matrix(c(1, 0.9, 0.9, 0.9, 1, 0.1, 0.9, 0.1, 1), 3, 3)
colnames(m) <- rownames(m) <- c("a", "b", "c")
sm <- suppressWarnings(cor.smooth(m))
write(data.frame(item = colnames(m), m, check.names = FALSE), "extra_smooth_input.csv")
write(data.frame(item = colnames(sm), sm, check.names = FALSE), "extra_smooth_output.csv")
tet60 <- suppressMessages(suppressWarnings(tetrachoric(dich[1:60, ], smooth = FALSE)$rho))
tet60s <- suppressWarnings(cor.smooth(tet60))
write(data.frame(item = colnames(tet60s), tet60s, check.names = FALSE), "extra_smooth_tetra60.csv")
write(data.frame(min_eigen = min(eigen(tet60)$values)), "extra_smooth_tetra60_eigen.csv")

# ---- omega(nfactors = 1) where the one-factor solution is improper (a Heywood case) -------------------
omega_rows <- list()
scales <- list(A = paste0("A", 1:5), C = paste0("C", 1:5), E = paste0("E", 1:5))
for (seed in 1:40) {
  set.seed(seed)
  rows <- sort(sample(which(complete.cases(x[, 1:15])), 8))
  for (name in names(scales)) {
    d <- x[rows, scales[[name]]]
    if (any(apply(d, 2, sd) == 0)) next
    o <- suppressMessages(suppressWarnings(omega(d, nfactors = 1, plot = FALSE)))
    f <- suppressMessages(suppressWarnings(fa(d, nfactors = 1, fm = "minres")))
    omega_rows[[length(omega_rows) + 1]] <- data.frame(
      seed = seed, scale = name, rows = paste(rows, collapse = " "), omega_tot = o$omega.tot,
      max_h2 = max(f$communality))
  }
}
write(do.call(rbind, omega_rows), "extra_omega_n8.csv")
r1 <- matrix(c(1, 1, 0.6, 0.5,
               1, 1, 0.6, 0.5,
               0.6, 0.6, 1, 0.4,
               0.5, 0.5, 0.4, 1), 4, 4)
o1 <- suppressMessages(suppressWarnings(omega(r1, nfactors = 1, n.obs = 100, plot = FALSE)))
write(data.frame(omega_tot = o1$omega.tot), "extra_omega_r1.csv")

# ---- boot.ci on tied data: the median of ACT (sat.act) -------------------------------------------------
data(sat.act, package = "psych")
write(sat.act, "extra_sat_act.csv")
set.seed(2024)
b <- boot(sat.act$ACT, function(v, i) median(v[i]), R = 2000)
ci <- boot.ci(b, type = c("perc", "bca"))
write(data.frame(perc_low = ci$percent[4], perc_high = ci$percent[5], bca_low = ci$bca[4],
                 bca_high = ci$bca[5], se = sd(b$t)), "extra_boot_median.csv")

# ---- exact p-values: wilcox.test (no ties, n < 50) and cor.test(method = "spearman") (n < 10) ---------
set.seed(7)
a <- round(rnorm(12, 3, 1), 3)
g <- round(rnorm(9, 3.8, 1), 3)
w <- wilcox.test(a, g)
s_x <- round(rnorm(8), 3)
s_y <- round(s_x + rnorm(8), 3)
s <- cor.test(s_x, s_y, method = "spearman")
s9x <- round(rnorm(9), 3)
s9y <- round(-s9x + rnorm(9, 0, 2), 3)
s9 <- cor.test(s9x, s9y, method = "spearman")
write(data.frame(value = c(a, g), group = c(rep("a", 12), rep("b", 9))), "extra_exact_mw_data.csv")
write(data.frame(x = c(s_x, s9x), y = c(s_y, s9y), set = c(rep("n8", 8), rep("n9", 9))),
      "extra_exact_spearman_data.csv")
write(data.frame(test = c("mann_whitney", "spearman_n8", "spearman_n9"),
                 statistic = c(w$statistic, s$statistic, s9$statistic),
                 estimate = c(NA, s$estimate, s9$estimate),
                 p = c(w$p.value, s$p.value, s9$p.value)), "extra_exact_p.csv")

# ---- survey::svychisq(statistic = "F"): Rao-Scott second-order corrected chi-square --------------------
svy_rows <- list()
data(housing, package = "MASS")
h <- housing
h$Sat <- factor(as.character(h$Sat), levels = c("Low", "Medium", "High"))
h$Infl <- factor(as.character(h$Infl), levels = c("Low", "Medium", "High"))
write(h[, c("Sat", "Infl", "Type", "Cont", "Freq")], "extra_housing.csv")
dh <- svydesign(ids = ~1, weights = ~Freq, data = h)
for (pair in list(c("Sat", "Infl"), c("Sat", "Type"), c("Sat", "Cont"))) {
  t <- svychisq(as.formula(paste0("~", pair[1], "+", pair[2])), dh, statistic = "F")
  svy_rows[[length(svy_rows) + 1]] <- data.frame(
    data = "housing", item = pair[1], by = pair[2], F = unname(t$statistic),
    ndf = unname(t$parameter[1]), ddf = unname(t$parameter[2]), p = t$p.value)
}
bw <- x[complete.cases(x[, c(ac, "education")]), c(ac, "education")]
bw$w <- 1 + (seq_len(nrow(bw)) %% 4) * 0.5 + (bw$A2 >= 5) * 0.75
for (item in ac) bw[[item]] <- factor(bw[[item]])
bw$education <- factor(bw$education)
write(data.frame(row = seq_len(nrow(bw)), w = bw$w), "extra_bfi_weights.csv")
db <- svydesign(ids = ~1, weights = ~w, data = bw)
for (item in ac) {
  t <- svychisq(as.formula(paste0("~", item, "+education")), db, statistic = "F")
  svy_rows[[length(svy_rows) + 1]] <- data.frame(
    data = "bfi", item = item, by = "education", F = unname(t$statistic),
    ndf = unname(t$parameter[1]), ddf = unname(t$parameter[2]), p = t$p.value)
}
write(do.call(rbind, svy_rows), "extra_svychisq.csv")

versions <- data.frame(package = c("R", "psych", "polycor", "boot", "survey", "MASS"),
                       version = c(R.version.string, sapply(c("psych", "polycor", "boot", "survey", "MASS"),
                                                            function(p) as.character(packageVersion(p)))))
write(versions, "extra_versions.csv")
