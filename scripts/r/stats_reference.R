# Reference values for dxlab.stats, computed with R on real survey data.
#
# Data: psych's `bfi` — 2800 real respondents of the SAPA project answering 25 Big Five personality items
# on a 1-6 scale, with missing answers, plus gender, education and age (Revelle, Wilt & Rosenthal 2010).
# The reverse-keyed items (A1, C4, C5, E1, E2, O2, O5) are re-coded 7 - x so every scale is positively
# keyed, as psych's own examples do with `keys`.
#
# Run from the project root (Debian: apt-get install r-base-core r-cran-psych r-cran-polycor r-cran-coin):
#   Rscript scripts/r/stats_reference.R
# Output: tests/reference/stats/*.csv (committed; the tests read them, CI does not need R).

suppressPackageStartupMessages({
  library(psych)
  library(polycor)
})
has_coin <- requireNamespace("coin", quietly = TRUE)

out <- "tests/reference/stats"
dir.create(out, recursive = TRUE, showWarnings = FALSE)
write <- function(frame, name) {
  write.csv(frame, file.path(out, name), row.names = FALSE, na = "")
}

data(bfi, package = "psych")
keyed <- c("A1", "C4", "C5", "E1", "E2", "O2", "O5")
items <- colnames(bfi)[1:25]
x <- bfi
for (item in keyed) x[[item]] <- 7L - x[[item]]
x <- x[, c(items, "gender", "education", "age")]
write(x, "bfi_keyed.csv")

scales <- list(A = paste0("A", 1:5), C = paste0("C", 1:5), E = paste0("E", 1:5), N = paste0("N", 1:5),
               O = paste0("O", 1:5))

versions <- data.frame(package = c("R", "psych", "polycor", "coin"),
                       version = c(R.version.string, as.character(packageVersion("psych")),
                                   as.character(packageVersion("polycor")),
                                   if (has_coin) as.character(packageVersion("coin")) else NA))
write(versions, "versions.csv")

# ---- reliability: psych::alpha (pairwise), listwise, omega (Pearson and polychoric) -------------------
pairwise_polychoric <- function(frame) {
  k <- ncol(frame)
  m <- diag(k)
  for (i in 1:(k - 1)) for (j in (i + 1):k) {
    m[i, j] <- m[j, i] <- polychor(frame[[i]], frame[[j]])
  }
  m
}
alpha_rows <- list()
item_rows <- list()
for (name in names(scales)) {
  s <- x[, scales[[name]]]
  k <- ncol(s)
  a <- alpha(s, warnings = FALSE)
  n_resp <- sum(rowSums(!is.na(s)) > 0)
  feldt <- alpha.ci(a$total$raw_alpha, n_resp, k)
  complete <- s[complete.cases(s), ]
  a_list <- alpha(complete, warnings = FALSE)
  feldt_list <- alpha.ci(a_list$total$raw_alpha, nrow(complete), k)
  om <- suppressWarnings(suppressMessages(omega(s, nfactors = 1, plot = FALSE)))
  poly <- pairwise_polychoric(s)
  om_poly <- suppressWarnings(suppressMessages(omega(poly, nfactors = 1, plot = FALSE)))
  alpha_poly <- alpha(poly, warnings = FALSE)
  alpha_rows[[name]] <- data.frame(
    scale = name, k = k, n = n_resp,
    alpha = a$total$raw_alpha, ci_low = feldt$lower.ci, ci_high = feldt$upper.ci,
    alpha_std = a$total$std.alpha, mean_r = a$total$average_r,
    omega_total = om$omega.tot, omega_total_polychoric = om_poly$omega.tot,
    alpha_ordinal = alpha_poly$total$std.alpha,
    n_listwise = nrow(complete), alpha_listwise = a_list$total$raw_alpha,
    ci_low_listwise = feldt_list$lower.ci, ci_high_listwise = feldt_list$upper.ci)
  item_rows[[name]] <- data.frame(
    scale = name, item = rownames(a$item.stats), n = a$item.stats$n, mean = a$item.stats$mean,
    sd = a$item.stats$sd, item_total_r = a$item.stats$r.drop, alpha_if_deleted = a$alpha.drop$raw_alpha)
}
write(do.call(rbind, alpha_rows), "bfi_alpha.csv")
write(do.call(rbind, item_rows), "bfi_item_stats.csv")

# ---- one-factor minres loadings (psych::fa) on the pairwise Pearson correlations ------------------------
fa_rows <- list()
for (name in names(scales)) {
  s <- x[, scales[[name]]]
  f <- suppressWarnings(fa(cor(s, use = "pairwise"), nfactors = 1, fm = "minres"))
  fa_rows[[name]] <- data.frame(scale = name, item = rownames(f$loadings), loading = as.numeric(f$loadings[, 1]))
}
write(do.call(rbind, fa_rows), "bfi_fa_minres.csv")

# ---- correlations: psych::corr.test (pairwise), cor.test for Kendall's p, polycor for polychoric -----
pairs <- t(combn(items, 2))
corr_rows <- list()
for (method in c("pearson", "spearman", "kendall")) {
  ct <- corr.test(x[, items], method = method, adjust = "holm")
  r <- ct$r[pairs]
  n <- if (is.matrix(ct$n)) ct$n[pairs] else rep(ct$n, nrow(pairs))
  p_raw <- ct$p[cbind(pairs[, 2], pairs[, 1])]  # corr.test: raw p below the diagonal
  ci <- ct$ci  # rows in upper-triangle column order: x-y labels
  corr_rows[[method]] <- data.frame(method = method, x = pairs[, 1], y = pairs[, 2], n = n, r = r, p = p_raw,
                                    stringsAsFactors = FALSE)
  if (method != "kendall") {
    key <- paste(pairs[, 1], pairs[, 2], sep = "-")
    corr_rows[[method]]$ci_low <- ci[key, "lower"]
    corr_rows[[method]]$ci_high <- ci[key, "upper"]
  } else {
    corr_rows[[method]]$ci_low <- NA
    corr_rows[[method]]$ci_high <- NA
    corr_rows[[method]]$p <- sapply(seq_len(nrow(pairs)), function(i) {
      cor.test(x[[pairs[i, 1]]], x[[pairs[i, 2]]], method = "kendall", exact = FALSE)$p.value
    })
  }
  if (method == "pearson") {
    for (adj in c("holm", "hochberg", "bonferroni", "BH", "BY")) {
      corr_rows[[method]][[paste0("p_", adj)]] <- p.adjust(corr_rows[[method]]$p, adj)
    }
  }
}
corr <- do.call(rbind, lapply(corr_rows, function(f) {
  for (adj in c("holm", "hochberg", "bonferroni", "BH", "BY")) if (is.null(f[[paste0("p_", adj)]])) f[[paste0("p_", adj)]] <- NA
  f
}))
write(corr, "bfi_correlations.csv")

poly_rows <- lapply(seq_len(nrow(pairs)), function(i) {
  a <- x[[pairs[i, 1]]]
  b <- x[[pairs[i, 2]]]
  keep <- !is.na(a) & !is.na(b)
  tab <- table(a[keep], b[keep])
  rc <- qnorm(cumsum(rowSums(tab)) / sum(tab))[-nrow(tab)]
  cc <- qnorm(cumsum(colSums(tab)) / sum(tab))[-ncol(tab)]
  f <- function(rho) -sum(tab * log(polycor:::binBvn(rho, rc, cc)))
  tight <- optimise(f, interval = c(-0.9999, 0.9999), tol = 1e-10)$minimum
  se_fit <- polychor(a, b, std.err = TRUE)
  data.frame(x = pairs[i, 1], y = pairs[i, 2], n = sum(keep), rho_polychor = polychor(a, b),
             rho_tight = tight, se = sqrt(se_fit$var[1]))
})
write(do.call(rbind, poly_rows), "bfi_polychoric.csv")

# psych::polychoric: its default (global thresholds; no zero-cell correction applies in that mode) and
# global = FALSE with correct = 0.5, on the A and C scales (10 items, 45 pairs)
psych_items <- c(scales$A, scales$C)
p_global <- polychoric(x[, psych_items], smooth = FALSE)$rho
p_local <- polychoric(x[, psych_items], smooth = FALSE, global = FALSE, correct = 0.5)$rho
pp <- t(combn(psych_items, 2))
write(data.frame(x = pp[, 1], y = pp[, 2], rho_global = p_global[pp], rho_pairwise_correct = p_local[pp]),
      "bfi_psych_polychoric.csv")

# ---- level distributions: Wilson intervals from prop.test without continuity correction ----------------
dist_rows <- list()
for (item in c("A1", "C2", "N3", "O5")) {
  for (edu in sort(unique(na.omit(x$education)))) {
    v <- x[[item]][!is.na(x$education) & x$education == edu & !is.na(x[[item]])]
    for (level in 1:6) {
      count <- sum(v == level)
      ci <- prop.test(count, length(v), correct = FALSE)$conf.int
      dist_rows[[length(dist_rows) + 1]] <- data.frame(item = item, education = edu, level = level,
                                                       count = count, n = length(v), ci_low = ci[1], ci_high = ci[2])
    }
  }
}
write(do.call(rbind, dist_rows), "bfi_level_distribution.csv")

# ---- association with education: chisq.test, coin::lbl_test ---------------------------------------------
assoc_rows <- lapply(items, function(item) {
  keep <- !is.na(x$education) & !is.na(x[[item]])
  tab <- table(x$education[keep], x[[item]][keep])
  tab <- tab[rowSums(tab) > 0, colSums(tab) > 0, drop = FALSE]
  chi <- suppressWarnings(chisq.test(tab, correct = FALSE))
  n <- sum(tab)
  v <- sqrt(unname(chi$statistic) / (n * (min(dim(tab)) - 1)))
  lbl <- NA
  lbl_p <- NA
  if (has_coin) {
    d <- data.frame(edu = factor(x$education[keep], ordered = TRUE), y = factor(x[[item]][keep], ordered = TRUE))
    test <- coin::lbl_test(y ~ edu, data = d)
    lbl <- coin::statistic(test)^2
    lbl_p <- coin::pvalue(test)
  }
  data.frame(item = item, n = n, chi2 = unname(chi$statistic), dof = unname(chi$parameter),
             p = chi$p.value, cramers_v = v, lbl_stat = lbl, lbl_p = as.numeric(lbl_p))
})
write(do.call(rbind, assoc_rows), "bfi_association.csv")

# ---- group comparisons: kruskal.test by education, wilcox.test by gender -------------------------------
kw_rows <- lapply(items, function(item) {
  keep <- !is.na(x$education) & !is.na(x[[item]])
  k <- kruskal.test(x[[item]][keep], factor(x$education[keep]))
  n <- sum(keep)
  data.frame(value = item, n = n, H = unname(k$statistic), dof = unname(k$parameter), p = k$p.value,
             epsilon_sq = unname(k$statistic) / (n - 1))
})
write(do.call(rbind, kw_rows), "bfi_kruskal.csv")

mw_rows <- lapply(items, function(item) {
  a <- x[[item]][x$gender == 1 & !is.na(x[[item]])]
  b <- x[[item]][x$gender == 2 & !is.na(x[[item]])]
  w <- wilcox.test(a, b, exact = FALSE, correct = TRUE)
  data.frame(value = item, n_a = length(a), n_b = length(b), U = unname(w$statistic), p = w$p.value,
             cliffs_delta = 2 * unname(w$statistic) / (length(a) * length(b)) - 1)
})
write(do.call(rbind, mw_rows), "bfi_mann_whitney.csv")

# ---- polychoric on small, sparse tables (zero cells, empty levels): the first 40 respondents -------------
small <- x[1:40, items]
sparse_rows <- lapply(seq_len(nrow(pairs)), function(i) {
  a <- small[[pairs[i, 1]]]
  b <- small[[pairs[i, 2]]]
  keep <- !is.na(a) & !is.na(b)
  tab <- table(a[keep], b[keep])
  tab <- tab[rowSums(tab) > 0, colSums(tab) > 0, drop = FALSE]
  if (min(dim(tab)) < 2) {
    return(data.frame(x = pairs[i, 1], y = pairs[i, 2], n = sum(keep), zero_cells = NA, rho_polychor = NA,
                      rho_tight = NA))
  }
  rc <- qnorm(cumsum(rowSums(tab)) / sum(tab))[-nrow(tab)]
  cc <- qnorm(cumsum(colSums(tab)) / sum(tab))[-ncol(tab)]
  f <- function(rho) -sum(tab * log(polycor:::binBvn(rho, rc, cc)))
  data.frame(x = pairs[i, 1], y = pairs[i, 2], n = sum(keep), zero_cells = sum(tab == 0),
             rho_polychor = suppressWarnings(polychor(a, b)),
             rho_tight = optimise(f, interval = c(-0.9999, 0.9999), tol = 1e-10)$minimum)
})
write(do.call(rbind, sparse_rows), "bfi40_polychoric.csv")

cat("wrote", length(list.files(out)), "files to", out, "\n")
