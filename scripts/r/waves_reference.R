# Reference values for dxlab's change-between-waves and agreement statistics (tests/test_stats_change.py,
# tests/test_stats_agreement.py). Run from the project root:  Rscript scripts/r/waves_reference.R
# It writes its seeded inputs and R's answers to tests/reference/waves/*.csv; the tests need no R.
suppressMessages(library(psych))
out <- "tests/reference/waves"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
write <- function(x, name) write.csv(x, file.path(out, name), row.names = FALSE, na = "")
set.seed(20261130)

# -- paired change: two waves, levels 1-5 with blanks and enterprises in one wave only -------------------
n <- 240
before <- sample(1:5, n, replace = TRUE, prob = c(.15, .25, .3, .2, .1))
step <- sample(-2:2, n, replace = TRUE, prob = c(.05, .15, .4, .3, .1))
after <- pmin(5, pmax(1, before + step))
lev_b <- before; lev_a <- after
lev_b[sample(n, 12)] <- NA; lev_a[sample(n, 15)] <- NA
small_b <- rep(NA, n); small_a <- rep(NA, n)          # 12 pairs of untied scores: R's exact p
small_b[1:12] <- round(runif(12, 1, 5), 3); small_a[1:12] <- small_b[1:12] + c(0.31, -0.12, 0.55, 0.73, -0.41,
  0.92, 0.18, 1.07, -0.26, 0.64, 0.85, 1.21)
tied_b <- rep(NA, n); tied_a <- rep(NA, n)              # 30 pairs with ties, no zero: normal approximation
tied_b[1:30] <- rep(3, 30); tied_a[1:30] <- 3 + rep(c(1, -1, 2, 1, 1, -2), 5)
score_b <- round(1 + 4 * rbeta(n, 2, 2.5), 2); score_a <- round(pmin(5, score_b + rnorm(n, .25, .5)), 2)
ids <- sprintf("E%04d", 1:n)
wide <- data.frame(enterprise_id = ids, level_b = lev_b, level_a = lev_a, small_b, small_a, tied_b, tied_a,
                   score_b, score_a)
only_before <- ids[201:215]; only_after <- ids[216:230]
long <- rbind(
  data.frame(enterprise_id = ids, wave = "T0", level = lev_b, small = small_b, tied = tied_b, score = score_b),
  data.frame(enterprise_id = ids, wave = "T1", level = lev_a, small = small_a, tied = tied_a, score = score_a))
long <- long[!(long$wave == "T1" & long$enterprise_id %in% only_before) &
             !(long$wave == "T0" & long$enterprise_id %in% only_after), ]
write(long, "paired_input.csv")
rows <- list()
for (item in c("level", "small", "tied", "score")) {
  b <- long[long$wave == "T0", c("enterprise_id", item)]; a <- long[long$wave == "T1", c("enterprise_id", item)]
  m <- merge(b, a, by = "enterprise_id", suffixes = c(".b", ".a"))
  m <- m[complete.cases(m), ]
  x <- m[[paste0(item, ".b")]]; y <- m[[paste0(item, ".a")]]
  w <- suppressWarnings(wilcox.test(y, x, paired = TRUE))
  tt <- t.test(y, x, paired = TRUE)
  d <- y - x
  s <- binom.test(sum(d > 0), sum(d != 0))
  rows[[item]] <- data.frame(item = item, n_pairs = length(d), V = unname(w$statistic), p = w$p.value,
                             method = w$method, mean_change = unname(tt$estimate), ci_low = tt$conf.int[1],
                             ci_high = tt$conf.int[2], sign_p = s$p.value, median_before = median(x),
                             median_after = median(y))
}
write(do.call(rbind, rows), "paired_wilcox.csv")

# -- McNemar (2 x 2) and Bowker (k x k) via mcnemar.test, uncorrected --------------------------------------
t2 <- matrix(c(794, 86, 150, 570), 2)   # Agresti (2002) Table 10.1, presidential approval
t5 <- table(factor(lev_b, 1:5), factor(lev_a, 1:5))
t5c <- matrix(c(20, 5, 3, 2, 1, 8, 25, 6, 4, 2, 4, 9, 30, 7, 3, 2, 3, 10, 22, 6, 1, 2, 4, 8, 15), 5)
mc <- function(tab, name) { r <- mcnemar.test(tab, correct = FALSE)
  data.frame(table = name, statistic = unname(r$statistic), df = unname(r$parameter), p = r$p.value) }
write(rbind(mc(t2, "agresti_10_1"), mc(t5c, "dense_5x5")), "mcnemar.csv")
write(data.frame(t5c), "dense_5x5_cells.csv")

# -- Friedman: three waves --------------------------------------------------------------------------------
k <- 3; m <- 150
base <- sample(1:5, m, replace = TRUE)
waves <- cbind(base, pmin(5, pmax(1, base + sample(-1:2, m, TRUE))), pmin(5, pmax(1, base + sample(-1:3, m, TRUE))))
cont <- round(matrix(rnorm(m * 3, rep(c(2.5, 2.8, 3.0), each = m), .6), m), 3)
fr_long <- data.frame(enterprise_id = rep(sprintf("F%03d", 1:m), 3), wave = rep(c("T0", "T1", "T2"), each = m),
                      level = as.vector(waves), score = as.vector(cont))
write(fr_long, "friedman_input.csv")
f1 <- friedman.test(waves); f2 <- friedman.test(cont)
pw <- function(mat, item) { out <- list(); for (p in list(c(1, 2), c(1, 3), c(2, 3))) {
  r <- suppressWarnings(wilcox.test(mat[, p[2]], mat[, p[1]], paired = TRUE))
  out[[length(out) + 1]] <- data.frame(item = item, wave_a = paste0("T", p[1] - 1), wave_b = paste0("T", p[2] - 1),
                                        V = unname(r$statistic), p = r$p.value) }
  res <- do.call(rbind, out); res$p_adj <- p.adjust(res$p, "holm"); res }
write(data.frame(item = c("level", "score"), Q = c(f1$statistic, f2$statistic), df = c(f1$parameter, f2$parameter),
                 p = c(f1$p.value, f2$p.value)), "friedman.csv")
write(rbind(pw(waves, "level"), pw(cont, "score")), "friedman_pairwise.csv")

# -- ICC: Shrout & Fleiss (1979) and three crossed raters -------------------------------------------------
sf <- matrix(c(9, 6, 8, 7, 10, 6, 2, 1, 4, 1, 5, 2, 5, 3, 6, 2, 6, 4, 8, 2, 8, 6, 9, 7), ncol = 4)  # 6 targets x 4 judges
icc_rows <- function(x, item) { r <- ICC(x, lmer = FALSE)$results
  data.frame(item = item, type = r$type, icc = r$ICC, F = r$F, df1 = r$df1, df2 = r$df2, p = r$p,
             ci_low = r$`lower bound`, ci_high = r$`upper bound`) }
subjects <- 120
truth <- rnorm(subjects)
raters <- c("Giám đốc", "Trưởng phòng CNTT", "Trưởng phòng kinh doanh")
icc_long <- NULL; icc_ref <- icc_rows(sf, "shrout_fleiss")
for (j in 1:3) {
  bias <- c(0, .3, -.2) * j / 2
  x <- sapply(1:3, function(r) pmin(5, pmax(1, round(3 + truth + bias[r] + rnorm(subjects, 0, .7)))))
  icc_ref <- rbind(icc_ref, icc_rows(x, paste0("Q", j)))
  for (r in 1:3) icc_long <- rbind(icc_long, data.frame(enterprise_id = sprintf("S%03d", 1:subjects),
                                                        respondent_role = raters[r], item = paste0("Q", j), value = x[, r]))
}
write(icc_long, "icc_input.csv"); write(icc_ref, "icc.csv")
write(data.frame(sf), "shrout_fleiss.csv")

# -- Cohen's kappa: two raters, levels 1-5 ------------------------------------------------------------------
r1 <- sample(1:5, 200, TRUE, prob = c(.1, .2, .35, .25, .1))
r2 <- pmin(5, pmax(1, r1 + sample(-2:2, 200, TRUE, prob = c(.05, .2, .5, .2, .05))))
write(data.frame(rater1 = r1, rater2 = r2), "kappa_input.csv")
lin <- 1 - abs(outer(1:5, 1:5, "-")) / 4
kq <- cohen.kappa(cbind(r1, r2), levels = 1:5)
kl <- cohen.kappa(cbind(r1, r2), w = lin, levels = 1:5)
write(data.frame(weights = c("unweighted", "quadratic", "linear"),
                 kappa = c(kq$kappa, kq$weighted.kappa, kl$weighted.kappa),
                 var = c(kq$var.kappa, kq$var.weighted, kl$var.weighted),
                 ci_low = c(kq$confid[1, 1], kq$confid[2, 1], kl$confid[2, 1]),
                 ci_high = c(kq$confid[1, 3], kq$confid[2, 3], kl$confid[2, 3])), "kappa.csv")
write(data.frame(package = c("R", "psych"), version = c(R.version.string, as.character(packageVersion("psych")))),
      "versions.csv")

# -- ICC(1) of an unbalanced one-way design: 2-5 respondents per enterprise (aov on all ratings) -------------
sizes <- sample(2:5, 80, replace = TRUE)
truth <- rnorm(80)
ub <- data.frame(enterprise_id = rep(sprintf("U%03d", 1:80), sizes))
ub$respondent <- unlist(lapply(sizes, seq_len))
ub$value <- pmin(5, pmax(1, round(3 + rep(truth, sizes) + rnorm(sum(sizes), 0, .8))))
fit <- summary(aov(value ~ factor(enterprise_id), data = ub))[[1]]
msb <- fit[1, "Mean Sq"]; msw <- fit[2, "Mean Sq"]
N <- nrow(ub); g <- length(sizes); n0 <- (N - sum(sizes^2) / N) / (g - 1)
Fu <- fit[1, "F value"]
alpha <- 0.05
FL <- Fu / qf(1 - alpha / 2, g - 1, N - g); FU <- Fu * qf(1 - alpha / 2, N - g, g - 1)
write(ub, "icc_unbalanced_input.csv")
write(data.frame(icc = (msb - msw) / (msb + (n0 - 1) * msw), F = Fu, df1 = fit[1, "Df"], df2 = fit[2, "Df"],
                 p = fit[1, "Pr(>F)"], n0 = n0, ci_low = (FL - 1) / (FL + n0 - 1), ci_high = (FU - 1) / (FU + n0 - 1)),
      "icc_unbalanced.csv")
