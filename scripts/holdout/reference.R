# Hold-out comparison of dxlab.stats against R: the R side.
#
# Usage (from the project root): Rscript scripts/holdout/reference.R WORKDIR [--random-only]
#   WORKDIR holds random.csv and random_n8.csv (written by `python -m scripts.holdout`); this script adds the
#   real datasets (psych's bfi and sat.act, psychTools' msq, ability and spi, MASS's housing) as CSV files and
#   writes WORKDIR/reference.csv: one row per number, function,dataset,key,statistic,value.
# Packages (Debian): r-cran-psych r-cran-psychtools r-cran-polycor r-cran-coin r-cran-survey r-cran-mass
#   r-cran-jsonlite. rstatix/effectsize are not needed: their effect sizes are written out by hand below.

suppressPackageStartupMessages({
  library(psych)
  library(polycor)
  library(coin)
  library(survey)
  library(MASS)
  library(jsonlite)
})
args <- commandArgs(trailingOnly = TRUE)
work <- if (length(args)) args[1] else "holdout-work"
random_only <- length(args) > 1 && args[2] == "--random-only"  # the small committed test folder
spec <- fromJSON("scripts/holdout/spec.json", simplifyVector = FALSE)

# ---- real datasets, written once so Python reads exactly what R used ---------------------------------------
write_data <- function(frame, name) {
  path <- file.path(work, name)
  if (!file.exists(path)) write.csv(frame, path, row.names = FALSE, na = "")
}
data(bfi, package = "psych")
if (!random_only) write_data(bfi[, c(paste0("N", 1:5), paste0("O", 1:5), "gender", "education", "age")], "bfi.csv")
data(sat.act, package = "psych")
if (!random_only) write_data(sat.act, "sat_act.csv")
have_tools <- !random_only && requireNamespace("psychTools", quietly = TRUE)
if (have_tools) {
  data(msq, package = "psychTools", envir = environment())
  write_data(msq[, c("active", "alert", "vigorous", "sleepy", "tired", "condition", "Extraversion")], "msq.csv")
  data(ability, package = "psychTools", envir = environment())
  write_data(as.data.frame(ability), "ability.csv")
  data(spi, package = "psychTools", envir = environment())
  write_data(spi[, c("q_253", "q_952", "q_1904", "q_578", "q_4296", "q_1201", "education", "sex", "age")],
             "spi.csv")
}
h <- housing
h$Sat <- as.integer(h$Sat)
h$Infl <- as.character(h$Infl)
h$Type <- as.character(h$Type)
write_data(h[, c("Sat", "Infl", "Type", "Cont", "Freq")], "housing.csv")

# ---- output -------------------------------------------------------------------------------------------------
rows <- new.env()
rows$list <- list()
add <- function(fn, ds, key, stat, value) {
  value <- suppressWarnings(as.numeric(value))
  if (length(value) != 1) stop(paste("one value expected for", fn, ds, key, stat))
  rows$list[[length(rows$list) + 1]] <- data.frame(`function` = fn, dataset = ds, key = key, statistic = stat,
                                                   value = value, check.names = FALSE)
}
quiet <- function(expr) suppressMessages(suppressWarnings(expr))

group_levels <- function(d, ds, values) {
  order <- spec$groups_order[[ds$group]]
  lv <- if (!is.null(order)) unlist(order) else sort(unique(values[!is.na(values)]))
  factor(values, levels = lv, ordered = isTRUE(ds$ordered))
}

# ---- level_distribution: counts, shares and Wilson intervals (prop.test without correction) -----------------
wilson <- function(x, n) {
  if (n <= 0) return(c(NA, NA))
  z <- qnorm(0.975)
  p <- x / n
  centre <- (p + z^2 / (2 * n)) / (1 + z^2 / n)
  half <- z * sqrt(p * (1 - p) / n + z^2 / (4 * n^2)) / (1 + z^2 / n)
  c(centre - half, centre + half)
}
distribution <- function(d, ds, name) {
  lv <- unlist(ds$levels)
  w <- if (!is.null(ds$weights)) d[[ds$weights]] else rep(1, nrow(d))
  for (item in unlist(ds$items)) {
    ok <- !is.na(d[[item]]) & !is.na(w)
    x <- d[[item]][ok]
    ww <- w[ok]
    total <- sum(ww)
    n_eff <- total^2 / sum(ww^2)
    for (level in lv) {
      count <- sum(ww[x == level])
      key <- paste0(item, "=", level)
      add("level_distribution", name, key, "count", count)
      add("level_distribution", name, key, "share", count / total)
      if (is.null(ds$weights)) {
        ci <- prop.test(count, total, correct = FALSE)$conf.int
      } else {
        ci <- wilson(count / total * n_eff, n_eff)
      }
      add("level_distribution", name, key, "ci_low", ci[1])
      add("level_distribution", name, key, "ci_high", ci[2])
    }
  }
}

# ---- association: chisq.test, Cramér's V, coin's linear-by-linear / mean-score, survey's Rao-Scott F ---------
association <- function(d, ds, name) {
  g <- group_levels(d, ds, d[[ds$group]])
  for (item in unlist(ds$items)) {
    ok <- !is.na(d[[item]]) & !is.na(g)
    if (!is.null(ds$weights)) {
      sub <- data.frame(y = factor(d[[item]][ok]), g = droplevels(factor(g[ok], ordered = FALSE)),
                        w = d[[ds$weights]][ok])
      design <- svydesign(ids = ~1, weights = ~w, data = sub)
      t <- quiet(svychisq(~y + g, design, statistic = "F"))
      add("association", name, item, "F", t$statistic)
      add("association", name, item, "dof", t$parameter[1])
      add("association", name, item, "ddf", t$parameter[2])
      add("association", name, item, "p", t$p.value)
      next
    }
    tab <- table(d[[item]][ok], droplevels(g[ok]))
    tab <- tab[rowSums(tab) > 0, colSums(tab) > 0, drop = FALSE]
    if (nrow(tab) < 2 || ncol(tab) < 2) next
    t <- quiet(chisq.test(tab, correct = FALSE))
    add("association", name, item, "chi2", t$statistic)
    add("association", name, item, "dof", t$parameter)
    add("association", name, item, "p", t$p.value)
    add("association", name, item, "cramers_v", sqrt(t$statistic / (sum(tab) * (min(dim(tab)) - 1))))
    y <- as.numeric(d[[item]][ok])
    gg <- droplevels(g[ok])
    if (isTRUE(ds$ordered)) {
      lt <- independence_test(y ~ gg, scores = list(gg = seq_len(nlevels(gg))))
      add("association", name, item, "ordinal_stat", statistic(lt)^2)
      add("association", name, item, "ordinal_p", pvalue(lt))
    } else {
      it <- independence_test(y ~ gg, teststat = "quadratic")
      add("association", name, item, "ordinal_stat", statistic(it))
      add("association", name, item, "ordinal_p", pvalue(it))
    }
  }
}

# ---- correlations: cor.test (Pearson CI = Fisher z; Spearman exact for n < 10 without ties), polycor ---------
correlations <- function(d, ds, name) {
  items <- if (!is.null(ds$pearson_only)) unlist(ds$pearson_only) else unlist(ds$items)
  methods <- c("pearson", "spearman", "kendall")
  if (is.null(ds$pearson_only) && !isTRUE(ds$binary) && !is.null(ds$levels)) {
    # psych's rule: polychoric(global = FALSE, correct = .5), each pair's thresholds from its own table
    psych_rho <- tryCatch(quiet(polychoric(d[, items], global = FALSE, correct = 0.5, smooth = FALSE))$rho,
                          error = function(e) NULL)
  } else {
    psych_rho <- NULL
  }
  if (isTRUE(ds$binary)) tetra <- quiet(tetrachoric(d[, items], smooth = FALSE))
  for (i in seq_along(items)) for (j in seq_along(items)) {
    if (j <= i) next
    a <- d[[items[i]]]
    b <- d[[items[j]]]
    ok <- !is.na(a) & !is.na(b)
    a <- a[ok]
    b <- b[ok]
    key <- paste0(items[i], "|", items[j])
    if (sum(ok) < 4 || sd(a) == 0 || sd(b) == 0) next
    for (m in methods) {
      t <- quiet(cor.test(a, b, method = m))
      add(paste0("correlations_", m), name, key, "r", t$estimate)
      add(paste0("correlation_matrix_", m), name, key, "r", t$estimate)
      add(paste0("correlations_", m), name, key, "p", t$p.value)
      if (m == "pearson" && !is.null(ds$weights)) {
        # weighted Pearson r on the rows answering both (cov.wt; the normalisation cancels in r)
        w <- d[[ds$weights]][ok]
        add("correlations_pearson_weighted", name, key, "r", cov.wt(cbind(a, b), wt = w, cor = TRUE)$cor[1, 2])
      }
      if (m != "pearson" && abs(t$estimate) < 1) {
        # Fisher-z intervals by hand: Spearman SE sqrt((1 + r^2/2)/(n - 3)) (Bonett & Wright 2000),
        # Kendall SE sqrt(0.437/(n - 4)) (Fieller, Hartley & Pearson 1957)
        n <- length(a)
        se <- if (m == "spearman") sqrt((1 + t$estimate^2 / 2) / (n - 3)) else sqrt(0.437 / (n - 4))
        if (n > 4) {
          add(paste0("correlations_", m), name, key, "ci_low", tanh(atanh(t$estimate) - qnorm(0.975) * se))
          add(paste0("correlations_", m), name, key, "ci_high", tanh(atanh(t$estimate) + qnorm(0.975) * se))
        }
      }
      if (m == "pearson") {
        add("correlations_pearson", name, key, "ci_low", t$conf.int[1])
        add("correlations_pearson", name, key, "ci_high", t$conf.int[2])
      }
    }
    if (is.null(ds$pearson_only)) {
      if (isTRUE(ds$binary)) {
        # psych's usual call: the whole item frame (each item's threshold from all its answers)
        add("correlations_tetrachoric", name, key, "r", tetra$rho[items[i], items[j]])
      } else if (length(unique(a)) > 1 && length(unique(b)) > 1) {
        if (!is.null(psych_rho)) add("correlations_polychoric_psych", name, key, "r", psych_rho[items[i], items[j]])
        fit <- polychor_checked(a, b)
        add("correlations_polychoric", name, key, if (fit$warned) "r_polycor_warned" else "r", fit$rho)
      }
    }
  }
}

# polycor's optimise meets log(0) when the likelihood rises to |r| = 1 (a staircase table, n = 8): its value is
# then where optimise stopped, not the maximum. The two-step log-likelihood (written out with mvtnorm, as polycor
# computes it) tells the two apart: `boundary` when it is as high at |r| = 0.99999 as at polycor's value (also
# checked without a warning when |r| > 0.99: a flat top). Such numbers are kept under a *_warned statistic and
# listed apart; a warning with an interior maximum counts.
polychor_checked <- function(a, b) {
  warned <- FALSE
  rho <- withCallingHandlers(
    tryCatch(suppressMessages(polychor(a, b)), error = function(e) NA),
    warning = function(w) {
      if (grepl("NA/Inf", conditionMessage(w))) warned <<- TRUE
      invokeRestart("muffleWarning")
    })
  boundary <- FALSE
  if ((warned || isTRUE(abs(rho) > 0.99)) && !is.na(rho)) {
    # the supremum is at |r| = 1 when the likelihood there is as high as at polycor's value (a staircase table
    # rises to it; a table with a flat top near 1 leaves optimise anywhere on the plateau)
    edge <- two_step_loglik(a, b, sign(rho) * 0.99999)
    boundary <- is.finite(edge) && edge >= two_step_loglik(a, b, rho) - 1e-6
  }
  list(rho = rho, warned = boundary, boundary = boundary)
}
two_step_loglik <- function(a, b, rho) {
  ok <- !is.na(a) & !is.na(b)
  tab <- table(a[ok], b[ok])
  n <- sum(tab)
  rc <- c(-Inf, qnorm(cumsum(rowSums(tab)) / n)[-nrow(tab)], Inf)
  cc <- c(-Inf, qnorm(cumsum(colSums(tab)) / n)[-ncol(tab)], Inf)
  corr <- matrix(c(1, rho, rho, 1), 2)
  ll <- 0
  for (i in seq_len(nrow(tab))) for (j in seq_len(ncol(tab))) if (tab[i, j] > 0) {
    p <- mvtnorm::pmvnorm(lower = c(rc[i], cc[j]), upper = c(rc[i + 1], cc[j + 1]), corr = corr)
    ll <- ll + tab[i, j] * log(max(p, 0))
  }
  ll
}

polyserial_ref <- function(d, ds, name) {
  x <- d[[ds$continuous]]
  for (item in unlist(ds$items)) {
    ok <- !is.na(x) & !is.na(d[[item]])
    if (length(unique(d[[item]][ok])) < 2) next
    add("polyserial", name, paste0(ds$continuous, "|", item), "r", quiet(polycor::polyserial(x[ok], d[[item]][ok])))
  }
}

# ---- reliability and item analysis: psych::alpha, alpha.ci, omega(nfactors = 1), ordinal α -------------------
reliability_ref <- function(d, ds, name) {
  items <- unlist(ds$items)
  s <- d[, items]
  s <- s[rowSums(!is.na(s)) > 0, , drop = FALSE]
  a <- quiet(alpha(s, warnings = FALSE, check.keys = FALSE))
  n_resp <- nrow(s)
  feldt <- alpha.ci(a$total$raw_alpha, n_resp, length(items))
  add("reliability", name, "scale", "alpha", a$total$raw_alpha)
  add("reliability", name, "scale", "ci_low", feldt$lower.ci)
  add("reliability", name, "scale", "ci_high", feldt$upper.ci)
  add("reliability", name, "scale", "alpha_std", a$total$std.alpha)
  add("reliability", name, "scale", "mean_r", a$total$average_r)
  if (length(items) >= 3) {
    om <- quiet(omega(s, nfactors = 1, plot = FALSE))
    add("reliability", name, "scale", "omega_total", om$omega.tot)
  }
  if (!isTRUE(ds$binary)) {
    k <- length(items)
    poly <- diag(k)
    warned <- FALSE
    for (i in 1:(k - 1)) for (j in (i + 1):k) {
      fit <- polychor_checked(s[[i]], s[[j]])
      warned <- warned || fit$warned
      poly[i, j] <- poly[j, i] <- fit$rho
    }
    suffix <- if (warned) "_polycor_warned" else ""
    add("reliability_polychoric", name, "scale", paste0("alpha_std", suffix),
        quiet(alpha(poly, warnings = FALSE))$total$std.alpha)
    if (k >= 3) add("reliability_polychoric", name, "scale", paste0("omega_total", suffix),
                    quiet(omega(poly, nfactors = 1, plot = FALSE))$omega.tot)
    if (warned) {
      # the same psych functions on the matrix with those pairs at their likelihood's maximum, |r| = 1:
      # ordinal alpha and omega where the polychoric matrix has an r of 1 (an improper one-factor solution)
      boundary <- poly
      for (i in 1:(k - 1)) for (j in (i + 1):k) {
        if (polychor_checked(s[[i]], s[[j]])$boundary) boundary[i, j] <- boundary[j, i] <- sign(poly[i, j])
      }
      add("reliability_polychoric", name, "scale", "alpha_std", quiet(alpha(boundary, warnings = FALSE))$total$std.alpha)
      if (k >= 3) add("reliability_polychoric", name, "scale", "omega_total",
                      quiet(omega(boundary, nfactors = 1, plot = FALSE))$omega.tot)
    }
  }
  for (i in seq_along(items)) {
    item <- items[i]
    add("item_analysis", name, item, "n", a$item.stats$n[i])
    add("item_analysis", name, item, "mean", a$item.stats$mean[i])
    add("item_analysis", name, item, "sd", a$item.stats$sd[i])
    add("item_analysis", name, item, "item_total_r", a$item.stats$r.drop[i])
    # α of a single remaining item is undefined (dxlab: missing); psych reports a number there
    if (length(items) >= 3) add("item_analysis", name, item, "alpha_if_deleted", a$alpha.drop$raw_alpha[i])
  }
}

# ---- rank tests: kruskal.test (+ ε² = H/(N-1), η²[H]), wilcox.test (+ Cliff's δ), Jonckheere by hand -------------
kruskal_ref <- function(d, ds, name, pvals) {
  g <- group_levels(d, ds, d[[ds$group]])
  mine <- list()
  for (item in unlist(ds$items)) {
    ok <- !is.na(d[[item]]) & !is.na(g)
    gg <- droplevels(g[ok])
    if (nlevels(gg) < 2 || length(unique(d[[item]][ok])) < 2) next
    t <- kruskal.test(d[[item]][ok], gg)
    add("compare_groups", name, item, "H", t$statistic)
    add("compare_groups", name, item, "dof", t$parameter)
    add("compare_groups", name, item, "p", t$p.value)
    add("compare_groups", name, item, "epsilon_sq", t$statistic / (sum(ok) - 1))
    # rstatix::kruskal_effsize's eta2[H] = (H - k + 1)/(n - k) (Tomczak & Tomczak 2014), written out
    if (sum(ok) > nlevels(gg)) {
      add("compare_groups", name, item, "eta_sq", (t$statistic - nlevels(gg) + 1) / (sum(ok) - nlevels(gg)))
    }
    pvals[[length(pvals) + 1]] <- t$p.value
    mine[[item]] <- t$p.value
    if (isTRUE(ds$ordered)) jonckheere_ref(d[[item]][ok], gg, name, item)
    if (is.null(ds$weights) && !isTRUE(ds$binary)) dunn_ref(d[[item]][ok], gg, name, item)
  }
  holm <- p.adjust(unlist(mine), "holm")
  for (item in names(holm)) add("compare_groups", name, item, "p_adj", holm[[item]])
  pvals
}
dunn_ref <- function(y, g, name, item) {
  # Dunn (1964): z = (mean rank a - mean rank b) / sqrt((N(N+1)/12 - sum(t^3 - t)/(12(N-1))) (1/na + 1/nb)),
  # Holm over the pairs of the item
  r <- rank(y)
  N <- length(y)
  t <- as.numeric(table(y))
  s2 <- N * (N + 1) / 12 - sum(t^3 - t) / (12 * (N - 1))
  lv <- levels(g)
  keys <- c()
  ps <- c()
  for (a in seq_along(lv)) for (b in seq_along(lv)) {
    if (b <= a) next
    na <- sum(g == lv[a])
    nb <- sum(g == lv[b])
    z <- (mean(r[g == lv[a]]) - mean(r[g == lv[b]])) / sqrt(s2 * (1 / na + 1 / nb))
    key <- paste0(item, "|", lv[a], "|", lv[b])
    add("posthoc", name, key, "z", z)
    add("posthoc", name, key, "p", 2 * pnorm(-abs(z)))
    keys <- c(keys, key)
    ps <- c(ps, 2 * pnorm(-abs(z)))
  }
  adjusted <- p.adjust(ps, "holm")
  for (i in seq_along(keys)) add("posthoc", name, keys[i], "p_adj", adjusted[i])
}
jonckheere_ref <- function(y, g, name, item) {
  # J = sum over ordered pairs of groups of the Mann-Whitney counts (ties count 1/2); tie-corrected variance
  # (Hollander & Wolfe 1999, eq. 6.19)
  lv <- levels(g)
  J <- 0
  for (a in seq_along(lv)) for (b in seq_along(lv)) {
    if (b <= a) next
    ya <- y[g == lv[a]]
    yb <- y[g == lv[b]]
    J <- J + sum(outer(ya, yb, "<")) + 0.5 * sum(outer(ya, yb, "=="))
  }
  n <- as.numeric(table(g))
  N <- sum(n)
  t <- as.numeric(table(y))
  mean_J <- (N^2 - sum(n^2)) / 4
  v <- (N * (N - 1) * (2 * N + 5) - sum(n * (n - 1) * (2 * n + 5)) - sum(t * (t - 1) * (2 * t + 5))) / 72 +
    sum(n * (n - 1) * (n - 2)) * sum(t * (t - 1) * (t - 2)) / (36 * N * (N - 1) * (N - 2)) +
    sum(n * (n - 1)) * sum(t * (t - 1)) / (8 * N * (N - 1))
  z <- (J - mean_J) / sqrt(v)
  add("jonckheere", name, item, "J", J)
  add("jonckheere", name, item, "mean_J", mean_J)
  add("jonckheere", name, item, "z", z)
  add("jonckheere", name, item, "p", 2 * pnorm(-abs(z)))
}
wilcox_ref <- function(d, ds, name) {
  mine <- list()
  groups <- unlist(ds$two_groups)
  two <- d[[ds$two]]
  for (item in unlist(ds$items)) {
    a <- d[[item]][!is.na(two) & two == groups[1] & !is.na(d[[item]])]
    b <- d[[item]][!is.na(two) & two == groups[2] & !is.na(d[[item]])]
    if (length(a) < 1 || length(b) < 1) next
    t <- quiet(wilcox.test(a, b))
    add("compare_two", name, item, "U", t$statistic)
    add("compare_two", name, item, "p", t$p.value)
    add("compare_two", name, item, "cliffs_delta", 2 * t$statistic / (length(a) * length(b)) - 1)
    mine[[item]] <- t$p.value
  }
  holm <- p.adjust(unlist(mine), "holm")
  for (item in names(holm)) add("compare_two", name, item, "p_adj", holm[[item]])
}

# ---- ICC: psych::ICC(lmer = FALSE) on the complete enterprises (raters = roles, crossed) ----------------------
icc_ref <- function(d, ds, name) {
  for (item in unlist(ds$items)) {
    wide <- reshape(d[, c("enterprise_id", "respondent_id", item)], idvar = "enterprise_id",
                    timevar = "respondent_id", direction = "wide")
    wide <- wide[complete.cases(wide), -1]
    res <- quiet(ICC(wide, lmer = FALSE))$results
    for (i in seq_len(nrow(res))) {
      key <- paste0(item, "|", res$type[i])
      add("agreement_icc", name, key, "icc", res$ICC[i])
      add("agreement_icc", name, key, "F", res$F[i])
      add("agreement_icc", name, key, "df1", res$df1[i])
      add("agreement_icc", name, key, "df2", res$df2[i])
      add("agreement_icc", name, key, "p", res$p[i])
      add("agreement_icc", name, key, "ci_low", res$`lower bound`[i])
      add("agreement_icc", name, key, "ci_high", res$`upper bound`[i])
    }
  }
}

# ---- p.adjust, every method, on the Kruskal-Wallis p-values of all datasets -------------------------------
adjust_ref <- function(pvals) {
  p <- unlist(pvals)
  write.csv(data.frame(p = p), file.path(work, "adjust_input.csv"), row.names = FALSE)
  for (m in c("holm", "hochberg", "hommel", "bonferroni", "BH", "BY", "none")) {
    q <- p.adjust(p, method = m)
    for (i in seq_along(q)) add("adjust_pvalues", "all", paste0(m, "#", i), "p_adj", q[i])
  }
}

# ---- peer percentile by hand: 100 (rank - 1/2) / n within the group (mid-ranks) ----------------------------
peer_ref <- function(d, ds, name) {
  score <- d[[ds$continuous]]
  g <- d[[ds$group]]
  ok <- !is.na(score) & !is.na(g)
  for (level in unique(g[ok])) {
    members <- which(ok & g == level)
    r <- rank(round(score[members], 9))
    for (k in seq_along(members)) {
      add("peer_percentile", name, paste0("row", members[k]), "percentile", 100 * (r[k] - 0.5) / length(members))
    }
  }
}

pvals <- list()
for (ds in spec$datasets) {
  path <- file.path(work, ds$file)
  if (!file.exists(path)) {
    message("skipping ", ds$name, ": ", path, " is missing")
    next
  }
  d <- read.csv(path)
  name <- ds$name
  if (!is.null(ds$levels)) distribution(d, ds, name)
  if (!is.null(ds$group)) {
    association(d, ds, name)
    if (is.null(ds$weights) || !isTRUE(ds$no_items_stats)) pvals <- kruskal_ref(d, ds, name, pvals)
  }
  if (!isTRUE(ds$no_items_stats)) {
    correlations(d, ds, name)
    if (length(ds$items) >= 2) reliability_ref(d, ds, name)
  }
  if (!is.null(ds$continuous) && is.null(ds$pearson_only) && !isTRUE(ds$binary)) polyserial_ref(d, ds, name)
  if (!is.null(ds$two)) wilcox_ref(d, ds, name)
  if (isTRUE(ds$peer)) peer_ref(d, ds, name)
  if (isTRUE(ds$icc)) icc_ref(d, ds, name)
}
adjust_ref(pvals)
out <- do.call(rbind, rows$list)
write.csv(out, file.path(work, "reference.csv"), row.names = FALSE, na = "")
versions <- c("psych", "polycor", "coin", "survey", "MASS")
write.csv(data.frame(package = c("R", versions),
                     version = c(R.version.string, sapply(versions, function(p) as.character(packageVersion(p))))),
          file.path(work, "versions.csv"), row.names = FALSE)
message("wrote ", nrow(out), " reference numbers to ", file.path(work, "reference.csv"))
