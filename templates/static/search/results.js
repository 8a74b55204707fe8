// A search's results, checked against the documents' texts in ranking order
// only as far as they are asked for: a page of results costs about a page of
// texts, not a text per candidate. `hits` grows in its final order; until
// every candidate is checked (`complete`), the count is only known to lie
// between hits.length and hits.length + unchecked. Where few candidates turn
// out to match, the unchecked ones are narrowed by more of the terms' index
// terms first, as long as a term costs less than the texts it may spare.
export class Results {
  // `ranked`: candidate hits in their order; `check(hit)`: a promise of
  // "exact", "loose" or null; `asLoose(hits)`: the loose twins of hits;
  // `compare`: their order; `narrow()`: a promise of the document numbers
  // having one more of the terms' index terms, or of null when there is none;
  // `wordBytes` and `textBytes`: what a term's postings and a text cost to fetch.
  constructor(ranked, check, { by = "exact", compare, asLoose = (hits) => hits,
                               narrow = null, wordBytes = Infinity, textBytes = 0 } = {}) {
    Object.assign(this, { ranked, check, by, compare, asLoose, narrow, wordBytes, textBytes });
    this.hits = [];
    this.looseOnly = [];
    this.next = 0;
    this.sample = { checked: 0, matched: 0 };  // since the last narrowing
    this.working = Promise.resolve();
  }

  // Hits already known to match: nothing to check.
  static of(hits, by) {
    const results = new Results(hits, null, { by });
    results.hits = [...hits];
    results.next = hits.length;
    return results;
  }

  get complete() {
    return this.next >= this.ranked.length;
  }

  get unchecked() {
    return this.ranked.length - this.next;
  }

  // Resolves once at least `count` hits are known, or all candidates are
  // checked; calls are served one after the other.
  extend(count) {
    this.working = this.working.then(() => this.checkUntil(count));
    return this.working;
  }

  // The texts still to check for `needed` more hits, at the share of the
  // candidates checked since the last narrowing that matched (all, before
  // any is checked), would cost more than one more index term.
  worthNarrowing(needed) {
    const matching = (this.sample.matched + 1) / (this.sample.checked + 1);
    return this.narrow !== null && Math.min(this.unchecked, needed / matching) * this.textBytes > this.wordBytes;
  }

  async checkUntil(count) {
    while (this.hits.length < count && !this.complete) {
      if (this.worthNarrowing(count - this.hits.length)) {
        const having = await this.narrow();
        if (having === null) this.narrow = null;
        // A candidate that matches has every term; the 发文字号 document is a result anyway.
        else {
          this.ranked = [...this.ranked.slice(0, this.next),
            ...this.ranked.slice(this.next).filter((hit) => hit.pinned || having.has(hit.n))];
          this.sample = { checked: 0, matched: 0 };
        }
        continue;
      }
      const batch = this.ranked.slice(this.next, this.next + Math.max(count - this.hits.length, 1));
      const verdicts = await Promise.all(batch.map(this.check));
      this.next += batch.length;
      this.sample.checked += batch.length;
      this.sample.matched += verdicts.filter((verdict) => verdict === "exact").length;
      batch.forEach((hit, i) => {
        if (verdicts[i] === "exact") this.hits.push(hit);
        else if (verdicts[i] === "loose") this.looseOnly.push(hit);
      });
    }
    // Only when no candidate matches exactly do the loose matches count.
    if (this.complete && !this.hits.length && this.looseOnly.length) {
      this.by = "loose";
      this.hits = this.asLoose(this.looseOnly).sort(this.compare);
      this.looseOnly = [];
    }
  }
}
