# Reference values for the fixes found by the hold-out comparison (scripts/holdout):
# exact Kendall p-values (cor.test, n < 50 without ties), Hommel's adjustment (p.adjust), psych::omega's flip of
# negatively loading items (bfi openness with O2 and O5 as they come), and correlations of columns with wide
# integer ranges (sat.act's ACT 3-36 with SATV/SATQ 200-800).
#
# Run from the project root after stats_reference.R and stats_reference_extra.R:
#   Rscript scripts/r/stats_reference_holdout.R
# Output: tests/reference/stats/holdout_fixes.csv (committed; the tests read it, CI does not need R).

suppressPackageStartupMessages(library(psych))
out <- "tests/reference/stats"
rows <- list()
add <- function(case, statistic, value) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, statistic = statistic, value = value)
}

sp <- read.csv(file.path(out, "extra_exact_spearman_data.csv"))
for (set in c("n8", "n9")) {
  d <- sp[sp$set == set, ]
  t <- cor.test(d$x, d$y, method = "kendall")
  add(paste0("kendall_", set), "tau", t$estimate)
  add(paste0("kendall_", set), "p", t$p.value)
}
p <- c(0.0001, 0.004, 0.019, 0.0095, 0.03, 0.2, 0.04, 0.5, 0.6, 0.0305, NA, 1)
q <- p.adjust(p, method = "hommel")
for (i in seq_along(p)) add("hommel", paste0("p", i), q[i])

data(bfi, package = "psych")
open <- bfi[, paste0("O", 1:5)]
write.csv(open, file.path(out, "holdout_bfi_openness.csv"), row.names = FALSE, na = "")
o <- suppressMessages(suppressWarnings(omega(open, nfactors = 1, plot = FALSE)))
add("omega_flip", "omega_total", o$omega.tot)
add("omega_flip", "alpha", suppressWarnings(alpha(open, check.keys = FALSE, warnings = FALSE))$total$raw_alpha)

data(sat.act, package = "psych")
for (pair in list(c("ACT", "SATV"), c("ACT", "SATQ"), c("SATV", "SATQ"))) {
  ok <- complete.cases(sat.act[, pair])
  for (m in c("pearson", "spearman")) {
    add(paste0("sat_", pair[1], "_", pair[2]), m, cor(sat.act[ok, pair[1]], sat.act[ok, pair[2]], method = m))
  }
}
write.csv(do.call(rbind, rows), file.path(out, "holdout_fixes.csv"), row.names = FALSE, na = "")
