# psych's one-factor minres fits on the n = 8 bfi samples of extra_omega_n8.csv: the correlations (R's
# lower.tri order) and the uniquenesses where psych's L-BFGS-B stopped (1 - fa(...)$communalities).
# Run from the project root after stats_reference_extra.R: Rscript scripts/r/minres_cases.R
# Output: tests/reference/stats/holdout_minres_cases.csv
suppressPackageStartupMessages(library(psych))
x <- read.csv("tests/reference/stats/bfi_keyed.csv")
cases <- read.csv("tests/reference/stats/extra_omega_n8.csv")
rows <- list()
for (i in seq_len(nrow(cases))) {
  r <- as.integer(strsplit(cases$rows[i], " ")[[1]])
  d <- x[r, paste0(cases$scale[i], 1:5)]
  f <- suppressMessages(suppressWarnings(fa(d, nfactors = 1, fm = "minres")))
  R <- cor(d)
  rows[[i]] <- setNames(data.frame(i, t(unname(R[lower.tri(R)])), t(unname(1 - f$communalities)), cases$omega_tot[i]), c("case", paste0("r", 1:10), paste0("psi", 1:5), "om"))
}
write.csv(do.call(rbind, rows), "tests/reference/stats/holdout_minres_cases.csv", row.names = FALSE)
