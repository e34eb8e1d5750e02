"""Blind round 8 for hw03 (issue #26): written by a helper who read only the task text, the reference solution and the names of rounds 1-7 (tests/mutation/blind_kit.py), never the tests."""

from mutation.harness import Mutant

CLS_TRAIN = ("cls_model = ClozeClassifier(cls_embeddings, len(CLOZE_WORDS))",)
NER_TRAIN = ("ner_model = NerTagger(", "ner_val_f1 = span_f1(")
TRANSLATOR_TRAIN = ("translator = Seq2Seq(", "translator_val_bleu = corpus_bleu(")

MUTANTS = [
    # ------------------------------------------------------------------ q1
    Mutant(
        name="vocab_offset_hardcoded_four",
        question="q1",
        description="corpus token ids computed as rank + 4 (the default number of specials) instead of continuing after the given specials",
        kind="formula",
        target="build_vocab",
        edits=(
            (
                "    for token in sorted(kept, key=lambda t: (-counts[t], t)):\n        vocab[token] = len(vocab)",
                "    for rank, token in enumerate(sorted(kept, key=lambda t: (-counts[t], t))):\n        vocab[token] = rank + 4",
            ),
        ),
    ),
    Mutant(
        name="vocab_ids_numpy_int64",
        question="q1",
        description="corpus ids taken from np.arange, so the dict values are numpy int64 instead of Python ints",
        kind="formula",
        target="build_vocab",
        edits=(
            (
                "    for token in sorted(kept, key=lambda t: (-counts[t], t)):\n        vocab[token] = len(vocab)",
                "    ranked = sorted(kept, key=lambda t: (-counts[t], t))\n"
                "    for token, idx in zip(ranked, np.arange(len(vocab), len(vocab) + len(ranked))):\n"
                "        vocab[token] = idx",
            ),
        ),
    ),
    Mutant(
        name="vocab_specials_appended_last",
        question="q1",
        description="corpus tokens numbered first and the specials appended after them (torchtext specials_first=False), so <pad> is not id 0",
        kind="formula",
        target="build_vocab",
        edits=(
            (
                "    vocab = {token: i for i, token in enumerate(specials)}\n"
                "    kept = [t for t, c in counts.items() if c >= min_freq and t not in vocab]\n"
                "    for token in sorted(kept, key=lambda t: (-counts[t], t)):\n"
                "        vocab[token] = len(vocab)\n",
                "    vocab = {}\n"
                "    kept = [t for t, c in counts.items() if c >= min_freq and t not in specials]\n"
                "    for token in sorted(kept, key=lambda t: (-counts[t], t)):\n"
                "        vocab[token] = len(vocab)\n"
                "    for token in specials:\n"
                "        vocab.setdefault(token, len(vocab))\n",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q2
    Mutant(
        name="encode_bos_eos_ids_swapped",
        question="q2",
        description="the ids of <bos> and <eos> are swapped: <eos> id prepended for add_bos, <bos> id appended for add_eos",
        kind="formula",
        target="encode",
        edits=(
            ("ids = [vocab[BOS]] + ids", "ids = [vocab[EOS]] + ids"),
            ("ids = ids + [vocab[EOS]]", "ids = ids + [vocab[BOS]]"),
        ),
    ),
    Mutant(
        name="encode_empty_tokens_skip_specials",
        question="q2",
        description="early return [] for an empty token list: <bos>/<eos> are not added to an empty sequence",
        kind="tolerance",
        target="encode",
        edits=(
            (
                "    unk = vocab[UNK]\n",
                "    if not tokens:\n        return []\n    unk = vocab[UNK]\n",
            ),
        ),
    ),
    Mutant(
        name="pad_batch_lengths_sorted_descending",
        question="q2",
        description="lengths sorted in decreasing order (prepared for packing) while the rows are not, so lengths and mask belong to other rows",
        kind="formula",
        target="pad_batch",
        edits=(
            (
                "lengths = torch.tensor([len(s) for s in sequences], dtype=torch.long)",
                "lengths = torch.tensor(sorted((len(s) for s in sequences), reverse=True), dtype=torch.long)",
            ),
        ),
    ),
    Mutant(
        name="pad_batch_mask_true_on_padding",
        question="q2",
        description="mask follows the key_padding_mask convention: True on padding and False on real tokens",
        kind="formula",
        target="pad_batch",
        edits=(
            (
                "mask = torch.arange(ids.shape[1])[None, :] < lengths[:, None]",
                "mask = torch.arange(ids.shape[1])[None, :] >= lengths[:, None]",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q3
    Mutant(
        name="cls_vocab_capped_size",
        question="q3",
        description="classifier vocabulary cut to the 20000 first ids (max_size habit): rare training words become <unk>",
        kind="outcome",
        target="cls_vocab = build_vocab(",
        edits=(
            (
                "cls_vocab = build_vocab([tokenize(text) for text, _ in cls_train], min_freq=1)",
                "cls_vocab = dict(list(build_vocab([tokenize(text) for text, _ in cls_train], min_freq=1).items())[:20000])",
            ),
        ),
        rerun=CLS_TRAIN,
    ),
    Mutant(
        name="embedding_lookup_lowercased",
        question="q3",
        description="navec looked up with token.lower(): a token absent from navec gets the vector of its lower-case form instead of navec['<unk>']",
        kind="formula",
        target="embedding_matrix",
        edits=(
            ("if token in navec and", "if token.lower() in navec and"),
            ("navec[token]", "navec[token.lower()]"),
        ),
    ),
    # ------------------------------------------------------------------ q4
    Mutant(
        name="cloze_conv_on_unmasked_embeddings",
        question="q4",
        description="convolution run on the raw embeddings (not masked): relies on the <pad> row being zero, so padding changes logits for other embedding matrices",
        kind="tolerance",
        target="ClozeClassifier",
        edits=(
            (
                "conv = torch.relu(self.conv(vectors.transpose(1, 2))).transpose(1, 2)",
                "conv = torch.relu(self.conv(self.embedding(ids).transpose(1, 2))).transpose(1, 2)",
            ),
        ),
        rerun=CLS_TRAIN,
    ),
    Mutant(
        name="cloze_peak_excludes_unk_minus_inf",
        question="q4",
        description="max-pooling restricted to known tokens with a -inf fill: a text of only <unk> (or an empty text) gives -inf/NaN logits",
        kind="tolerance",
        target="ClozeClassifier",
        edits=(
            (
                "peak = conv.masked_fill(~mask[..., None], 0.0).max(dim=1).values",
                'peak = conv.masked_fill(~known[..., None], float("-inf")).max(dim=1).values',
            ),
        ),
        rerun=CLS_TRAIN,
    ),
    Mutant(
        name="cloze_init_reseeds_global_rng",
        question="q4",
        description="__init__ calls torch.manual_seed(42): the caller's seed is ignored for the initialisation and the global RNG is reset",
        kind="loop",
        target="ClozeClassifier",
        edits=(
            (
                "        super().__init__()\n",
                "        super().__init__()\n        torch.manual_seed(42)\n",
            ),
        ),
        rerun=CLS_TRAIN,
    ),
    # ------------------------------------------------------------------ q5
    Mutant(
        name="bio_spans_as_lists",
        question="q5",
        description="spans returned as lists [type, start, end] instead of tuples",
        kind="formula",
        target="bio_to_spans",
        edits=(("spans.append((kind, start, i))", "spans.append([kind, start, i])"),),
    ),
    Mutant(
        name="bio_first_token_skipped",
        question="q5",
        description="previous-tag style loop starting at index 1: the tag at position 0 is never read, so an entity opening the sentence is lost or starts late",
        kind="loop",
        target="bio_to_spans",
        edits=(
            (
                'for i, tag in enumerate(list(tags) + ["O"]):',
                'for i, tag in enumerate(list(tags)[1:] + ["O"], start=1):',
            ),
        ),
    ),
    Mutant(
        name="span_f1_jaccard",
        question="q5",
        description="the third value is hits / |true ∪ pred| (Jaccard) instead of the harmonic mean of precision and recall",
        kind="formula",
        target="span_f1",
        edits=(
            (
                "f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0",
                "f1 = hits / len(true | pred) if true | pred else 0.0",
            ),
        ),
    ),
    Mutant(
        name="bio_type_split_on_every_dash",
        question="q5",
        description="tags split with tag.split('-')[:2]: an entity type containing a hyphen is truncated to its first part",
        kind="tolerance",
        target="bio_to_spans",
        edits=(
            (
                'prefix, _, label = tag.partition("-")',
                'prefix, label = (tag.split("-") + [""])[:2]',
            ),
        ),
    ),
    # ------------------------------------------------------------------ q6
    Mutant(
        name="ner_embedding_max_norm",
        question="q6",
        description="word embedding with max_norm=1.0: every forward pass (also in eval/tag_sentences) renormalises the weights in place",
        kind="in_place",
        target="NerTagger",
        edits=(
            (
                "self.words = nn.Embedding(n_words, 64, padding_idx=0)",
                "self.words = nn.Embedding(n_words, 64, padding_idx=0, max_norm=1.0)",
            ),
        ),
        rerun=NER_TRAIN,
    ),
    Mutant(
        name="ner_layer_norm_over_time",
        question="q6",
        description="F.layer_norm with normalized_shape x.shape[1:] normalises over time and features, padding included: tags depend on padding",
        kind="formula",
        target="NerTagger",
        edits=(
            (
                "        lengths = mask.sum(dim=1).clamp(min=1).cpu()\n",
                "        x = F.layer_norm(x, x.shape[1:])\n        lengths = mask.sum(dim=1).clamp(min=1).cpu()\n",
            ),
        ),
        rerun=NER_TRAIN,
    ),
    Mutant(
        name="ner_chars_truncated_to_ten",
        question="q6",
        description="character ids cut to a hard-coded maximum word length of 10: endings of longer words are never seen",
        kind="outcome",
        target="NerTagger",
        edits=(
            (
                "        B, T, C = char_ids.shape\n",
                "        char_ids = char_ids[:, :, :10]\n        B, T, C = char_ids.shape\n",
            ),
        ),
        rerun=NER_TRAIN,
    ),
    # ------------------------------------------------------------------ q7
    Mutant(
        name="attention_mask_assumed_prefix",
        question="q7",
        description="mask converted to lengths (mask.sum) and rebuilt as a prefix: a mask whose True positions are not a prefix is applied to the wrong positions",
        kind="tolerance",
        target="attention",
        edits=(
            (
                '    scores = scores.masked_fill(~mask, float("-inf"))\n',
                "    lengths = mask.sum(dim=1)\n"
                "    padding = torch.arange(mask.shape[1])[None, :] >= lengths[:, None]\n"
                '    scores = scores.masked_fill(padding, float("-inf"))\n',
            ),
        ),
    ),
    Mutant(
        name="attention_weights_returned_unsqueezed",
        question="q7",
        description="weights kept in the bmm shape (B, 1, T) and returned that way instead of (B, T)",
        kind="formula",
        target="attention",
        edits=(
            (
                "weights = torch.softmax(scores, dim=1)",
                "weights = torch.softmax(scores, dim=1).unsqueeze(1)",
            ),
            ("torch.bmm(weights.unsqueeze(1), values)", "torch.bmm(weights, values)"),
        ),
    ),
    Mutant(
        name="attention_weights_zeroed_in_place",
        question="q7",
        description="padding weights re-zeroed with weights.masked_fill_ after softmax: the in-place edit breaks backward through the softmax",
        kind="graph",
        target="attention",
        edits=(
            (
                "    weights = torch.softmax(scores, dim=1)\n",
                "    weights = torch.softmax(scores, dim=1)\n    weights.masked_fill_(~mask, 0.0)\n",
            ),
        ),
    ),
    Mutant(
        name="attention_context_reshaped_with_key_size",
        question="q7",
        description="context reshaped to (B, H) with the key size instead of squeezed to (B, D): fails whenever values have a different width than keys",
        kind="formula",
        target="attention",
        edits=(
            (
                "context = torch.bmm(weights.unsqueeze(1), values).squeeze(1)",
                "context = torch.bmm(weights.unsqueeze(1), values).reshape(keys.shape[0], keys.shape[2])",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q8
    Mutant(
        name="seq2seq_teacher_forcing_only_in_train_mode",
        question="q8",
        description="forward uses tgt_in[:, t] only when self.training; in eval mode it feeds its own argmax (teacher forcing is required always)",
        kind="mode",
        target="Seq2Seq",
        edits=(
            (
                "            logits, h = self.decode_step(tgt_in[:, t], h, enc_out, mask)\n",
                "            y_prev = tgt_in[:, t] if self.training or t == 0 else steps[-1].argmax(dim=1)\n"
                "            logits, h = self.decode_step(y_prev, h, enc_out, mask)\n",
            ),
        ),
    ),
    Mutant(
        name="seq2seq_loss_log_of_softmax",
        question="q8",
        description="loss computed as nll_loss(torch.log(softmax(logits))): underflows to -inf/inf for large-magnitude logits",
        kind="tolerance",
        target="seq2seq_loss",
        edits=(
            (
                "    return F.cross_entropy(\n        logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=pad_id\n    )",
                "    probs = torch.softmax(logits.reshape(-1, logits.shape[-1]), dim=1)\n"
                "    return F.nll_loss(torch.log(probs), targets.reshape(-1), ignore_index=pad_id)",
            ),
        ),
    ),
    Mutant(
        name="seq2seq_logits_before_cell_update",
        question="q8",
        description="decode_step returns logits from the state and context before the GRU update: the prediction ignores y_prev of this step",
        kind="formula",
        target="Seq2Seq",
        edits=(
            (
                "        h = self.cell(torch.cat([self.tgt_emb(y_prev), context], dim=1), h)\n"
                "        context, _ = attention(self.to_query(h), enc_out, enc_out, mask)\n"
                "        return self.out(torch.cat([h, context], dim=1)), h\n",
                "        h_new = self.cell(torch.cat([self.tgt_emb(y_prev), context], dim=1), h)\n"
                "        return self.out(torch.cat([h, context], dim=1)), h_new\n",
            ),
        ),
        rerun=TRANSLATOR_TRAIN,
    ),
    Mutant(
        name="seq2seq_decode_step_uses_cached_encoder_state",
        question="q8",
        description="encode caches enc_out and mask on self and decode_step attends over the cached ones, ignoring its enc_out and mask arguments",
        kind="loop",
        target="Seq2Seq",
        edits=(
            (
                "        return enc_out, src != 0, h\n",
                "        self._enc_out, self._mask = enc_out, src != 0\n        return enc_out, src != 0, h\n",
            ),
            (
                "attention(self.to_query(h), enc_out, enc_out, mask)",
                "attention(self.to_query(h), self._enc_out, self._enc_out, self._mask)",
            ),
        ),
    ),
    Mutant(
        name="seq2seq_tgt_vocab_size_hardcoded",
        question="q8",
        description="output layer sized 14 (10 digits + 4 specials) instead of tgt_vocab_size",
        kind="formula",
        target="Seq2Seq",
        edits=(
            (
                "self.out = nn.Linear(hidden + 2 * hidden, tgt_vocab_size)",
                "self.out = nn.Linear(hidden + 2 * hidden, 14)",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q9
    Mutant(
        name="greedy_forbids_special_tokens",
        question="q9",
        description="<pad> and <bos> logits set to -inf before the argmax: the highest-logit token is not always taken",
        kind="formula",
        target="greedy_decode",
        edits=(
            (
                "            y = logits.argmax(dim=1)\n",
                '            logits[:, [0, bos_id]] = float("-inf")\n            y = logits.argmax(dim=1)\n',
            ),
        ),
    ),
    Mutant(
        name="greedy_decodes_rows_one_by_one",
        question="q9",
        description="each row decoded separately with its own model.encode call (B encode calls instead of one for the batch)",
        kind="loop",
        target="greedy_decode",
        edits=(
            (
                "    model.eval()\n"
                "    with torch.no_grad():\n"
                "        enc_out, mask, h = model.encode(src, src_lengths)\n"
                "        y = torch.full((src.shape[0],), bos_id, dtype=torch.long)\n"
                "        outputs = [[] for _ in range(src.shape[0])]\n"
                "        done = torch.zeros(src.shape[0], dtype=torch.bool)\n"
                "        for _ in range(max_len):\n"
                "            logits, h = model.decode_step(y, h, enc_out, mask)\n"
                "            y = logits.argmax(dim=1)\n"
                "            for row in range(src.shape[0]):\n"
                "                if not done[row] and y[row].item() != eos_id:\n"
                "                    outputs[row].append(y[row].item())\n"
                "            done |= y == eos_id\n"
                "            if done.all():\n"
                "                break\n"
                "    return outputs\n",
                "    model.eval()\n"
                "    outputs = []\n"
                "    with torch.no_grad():\n"
                "        for row in range(src.shape[0]):\n"
                "            enc_out, mask, h = model.encode(src[row : row + 1], src_lengths[row : row + 1])\n"
                "            y = torch.full((1,), bos_id, dtype=torch.long)\n"
                "            seq = []\n"
                "            for _ in range(max_len):\n"
                "                logits, h = model.decode_step(y, h, enc_out, mask)\n"
                "                y = logits.argmax(dim=1)\n"
                "                if y.item() == eos_id:\n"
                "                    break\n"
                "                seq.append(y.item())\n"
                "            outputs.append(seq)\n"
                "    return outputs\n",
            ),
        ),
    ),
    Mutant(
        name="greedy_disables_grad_globally",
        question="q9",
        description="torch.set_grad_enabled(False) called as a statement instead of a no_grad context: gradients stay disabled after decoding",
        kind="graph",
        target="greedy_decode",
        edits=(
            (
                "    model.eval()\n    with torch.no_grad():\n",
                "    model.eval()\n    torch.set_grad_enabled(False)\n    if True:\n",
            ),
        ),
    ),
    Mutant(
        name="greedy_ignores_src_lengths",
        question="q9",
        description="src_lengths ignored: every source is encoded with the full padded width, so padding enters the bidirectional encoder",
        kind="loop",
        target="greedy_decode",
        edits=(
            (
                "model.encode(src, src_lengths)",
                "model.encode(src, torch.full_like(src_lengths, src.shape[1]))",
            ),
        ),
    ),
    Mutant(
        name="greedy_argsort_last_on_ties",
        question="q9",
        description="next token taken as argsort(logits)[:, -1]: on tied logits the last maximal id is chosen instead of the argmax (first)",
        kind="tolerance",
        target="greedy_decode",
        edits=(("y = logits.argmax(dim=1)", "y = logits.argsort(dim=1, stable=True)[:, -1]"),),
    ),
    # ------------------------------------------------------------------ q10
    Mutant(
        name="bleu_brevity_before_zero_check",
        question="q10",
        description="brevity penalty computed before the zero-precision check: an all-empty hypothesis corpus (c = 0) raises ZeroDivisionError instead of BLEU 0",
        kind="tolerance",
        target="corpus_bleu",
        edits=(
            (
                "    if min(matches) == 0:\n"
                "        return 0.0\n"
                "    log_precision = sum(math.log(m / t) for m, t in zip(matches, totals)) / max_n\n"
                "    c = sum(len(h) for h in hypotheses)\n"
                "    r = sum(len(ref) for ref in references)\n"
                "    brevity = 1.0 if c > r else math.exp(1.0 - r / c)\n",
                "    c = sum(len(h) for h in hypotheses)\n"
                "    r = sum(len(ref) for ref in references)\n"
                "    brevity = 1.0 if c > r else math.exp(1.0 - r / c)\n"
                "    if min(matches) == 0:\n"
                "        return 0.0\n"
                "    log_precision = sum(math.log(m / t) for m, t in zip(matches, totals)) / max_n\n",
            ),
        ),
    ),
    Mutant(
        name="bleu_precision_macro_over_sentences",
        question="q10",
        description="each p_n is the mean of per-sentence clipped precisions instead of corpus-summed matches over corpus-summed totals",
        kind="formula",
        target="corpus_bleu",
        edits=(
            (
                "    matches = [0] * max_n\n    totals = [0] * max_n\n",
                "    per_sentence = [[] for _ in range(max_n)]\n",
            ),
            (
                "            matches[n - 1] += sum(min(c, ref_ngrams[g]) for g, c in hyp_ngrams.items())\n"
                "            totals[n - 1] += sum(hyp_ngrams.values())\n",
                "            if hyp_ngrams:\n"
                "                clipped = sum(min(c, ref_ngrams[g]) for g, c in hyp_ngrams.items())\n"
                "                per_sentence[n - 1].append(clipped / sum(hyp_ngrams.values()))\n"
                "    matches = [sum(ps) / len(ps) if ps else 0.0 for ps in per_sentence]\n"
                "    totals = [1.0] * max_n\n",
            ),
        ),
    ),
    Mutant(
        name="bleu_brevity_averaged_over_sentences",
        question="q10",
        description="brevity penalty computed per sentence and averaged instead of from the corpus lengths c and r",
        kind="formula",
        target="corpus_bleu",
        edits=(
            (
                "    brevity = 1.0 if c > r else math.exp(1.0 - r / c)\n",
                "    brevity = sum(\n"
                "        1.0 if len(h) > len(ref) else (math.exp(1.0 - len(ref) / len(h)) if h else 0.0)\n"
                "        for ref, h in zip(references, hypotheses)\n"
                "    ) / len(hypotheses)\n",
            ),
        ),
    ),
    Mutant(
        name="bleu_reweights_missing_orders",
        question="q10",
        description="orders without any hypothesis n-gram are skipped and the geometric mean taken over the remaining orders instead of BLEU = 0",
        kind="formula",
        target="corpus_bleu",
        edits=(
            (
                "    if min(matches) == 0:\n"
                "        return 0.0\n"
                "    log_precision = sum(math.log(m / t) for m, t in zip(matches, totals)) / max_n\n",
                "    used = [(m, t) for m, t in zip(matches, totals) if t > 0]\n"
                "    if not used or min(m for m, _ in used) == 0:\n"
                "        return 0.0\n"
                "    log_precision = sum(math.log(m / t) for m, t in used) / len(used)\n",
            ),
        ),
    ),
    Mutant(
        name="bleu_hyp_ngrams_ranged_by_ref_length",
        question="q10",
        description="copy-paste: hypothesis n-grams enumerated over range(len(ref) - n + 1), so a longer hypothesis loses n-grams and a shorter one yields truncated ones",
        kind="loop",
        target="corpus_bleu",
        edits=(
            (
                "hyp_ngrams = Counter(tuple(hyp[i : i + n]) for i in range(len(hyp) - n + 1))",
                "hyp_ngrams = Counter(tuple(hyp[i : i + n]) for i in range(len(ref) - n + 1))",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q11
    Mutant(
        name="translator_val_exact_floor_division",
        question="q11",
        description="exact-match share computed with integer division sum // len: 0 unless every validation number is translated exactly",
        kind="formula",
        target="translator_val_exact =",
        edits=(
            (
                'translator_val_exact = float(np.mean(["".join(t) == p for (_, t), p in zip(translator_val, _val_pred)]))',
                'translator_val_exact = float(sum("".join(t) == p for (_, t), p in zip(translator_val, _val_pred)) // len(translator_val))',
            ),
        ),
    ),
    Mutant(
        name="translator_val_exact_rounded",
        question="q11",
        description="translator_val_exact rounded to two decimals (for printing) instead of the exact share",
        kind="tolerance",
        target="translator_val_exact =",
        edits=(
            (
                'translator_val_exact = float(np.mean(["".join(t) == p for (_, t), p in zip(translator_val, _val_pred)]))',
                'translator_val_exact = round(float(np.mean(["".join(t) == p for (_, t), p in zip(translator_val, _val_pred)])), 2)',
            ),
        ),
    ),
]
