"""The recommender server's slate logic (runtime RecommendService + SlateBuilder, docs/api.md "How the slate
is built") in NumPy, over dense item indices:

1. the model encodes the history's last maxLength items into a user state;
2. exploration: the history's last k distinct clusters -> the novelty table's row (the fallback row for fewer
   than k) -> novel clusters -> each cluster's items ranked by score, the best of each picked round-robin;
3. exploitation: the whole catalog scored, top-k with the history and the explored items excluded;
4. explored items take positions floor((j+1)*k/(slots+1)); duplicates dropped; either kind fills for the other.

Ties are broken by the lower item index everywhere, so identical input gives an identical slate.
"""
import numpy as np


def top_k(items, scores, k, excluded):
    """The k best items (by score, then lower index), best first, skipping NaN scores and the items whose
    entry in the boolean catalog mask excluded is set."""
    keep = ~(excluded[items] | np.isnan(scores))
    items, scores = items[keep], scores[keep]
    if k <= 0 or len(items) == 0:
        return items[:0], scores[:0]
    if k < len(items):
        # everything at or above the k-th best score, ties included, then the exact order on that few
        threshold = np.partition(scores, len(scores) - k)[len(scores) - k]
        above = scores >= threshold
        items, scores = items[above], scores[above]
    order = np.lexsort((items, -scores))[:k]
    return items[order], scores[order]


def last_distinct(values, n):
    """The last n distinct values, oldest first (a repeat counts at its latest position)."""
    picked = []
    for value in reversed(values):
        if len(picked) == n:
            break
        if value not in picked:
            picked.append(value)
    return picked[::-1]


def pick_exploration(candidates, slots, excluded):
    """candidates: [(cluster, items, scores)]; the best of each cluster in order, then the second best, ...
    excluded: boolean catalog mask of items never to pick."""
    picked = []
    if slots <= 0 or not candidates:
        return picked
    ranked = [(cluster, *top_k(items, scores, min(slots, len(items)), excluded))
              for cluster, items, scores in candidates]
    taken = set()
    cursors = [0] * len(ranked)
    progress = True
    while len(picked) < slots and progress:
        progress = False
        for c, (cluster, items, scores) in enumerate(ranked):
            if len(picked) >= slots:
                break
            while cursors[c] < len(items) and int(items[cursors[c]]) in taken:  # excluded ones are not ranked
                cursors[c] += 1
            if cursors[c] < len(items):
                item = int(items[cursors[c]])
                taken.add(item)
                picked.append((item, float(scores[cursors[c]]), cluster))
                cursors[c] += 1
                progress = True
    return picked


def exploration_positions(k, slots):
    n = min(max(slots, 0), k)
    return {(j + 1) * k // (n + 1) for j in range(n)}


def interleave(exploitation, exploration, k):
    """Entries are (item, score, cluster or -1); exploration entries take the evenly spread positions."""
    positions = exploration_positions(k, len(exploration))
    slate, seen = [], set()
    e = x = 0
    while len(slate) < k and (e < len(exploitation) or x < len(exploration)):
        if (len(slate) in positions and x < len(exploration)) or e >= len(exploitation):
            entry, x = exploration[x], x + 1
        else:
            entry, e = exploitation[e], e + 1
        if entry[0] not in seen:
            seen.add(entry[0])
            slate.append(entry)
    return slate


def recommend(recommender, clusters, novelty, history, k, slots):
    """history: item indices (oldest first). Returns (slate entries, last distinct clusters, novel clusters,
    fallback, set of all history clusters)."""
    state = recommender.encode(history)
    vectors = recommender.vectors
    excluded = np.zeros(len(vectors), dtype=bool)
    excluded[history] = True
    history_clusters = clusters.assignment[history].tolist()
    user_clusters = set(history_clusters)
    distinct = last_distinct(history_clusters, novelty.history_length)
    novel = novelty.novel_clusters(distinct) if slots > 0 else []

    # exploitation scores the whole catalog anyway: one matrix-vector product serves the novel clusters' items too
    scores = vectors @ state
    candidates = [(cluster, clusters.members[cluster], scores[clusters.members[cluster]]) for cluster in novel]
    exploration = pick_exploration(candidates, slots, excluded)

    excluded[[item for item, _, _ in exploration]] = True
    items, top = top_k(np.arange(len(scores)), scores, k - len(exploration), excluded)
    exploitation = [(int(item), float(score), -1) for item, score in zip(items, top)]
    slate = interleave(exploitation, exploration, k)
    return slate, distinct, novel, len(distinct) < novelty.history_length, user_clusters
