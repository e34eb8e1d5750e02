"""Blind round 6 for hw03 (issue #26): written by a helper who read only the task text, the reference solution and the names of rounds 1-5 (tests/mutation/blind_kit.py), never the tests."""

from mutation.harness import Mutant

CLS_TRAIN = "cls_model = ClozeClassifier"
NER_TRAIN = "ner_model = NerTagger"
NER_F1 = "ner_val_f1 = span_f1"
TR_TRAIN = "translator = Seq2Seq("
VAL = "_val_pred = translate"

MUTANTS = [
    # ------------------------------------------------------------------ q1
    Mutant(
        name="vocab_concat_extends_first_text",
        question="q1",
        description="all tokens gathered with all_tokens = token_lists[0]; all_tokens += tokens: the caller's first text is extended in place",
        kind="in_place",
        target="build_vocab",
        edits=(
            (
                "    counts = Counter(token for tokens in token_lists for token in tokens)\n",
                "    all_tokens = token_lists[0] if token_lists else []\n"
                "    for tokens in token_lists[1:]:\n"
                "        all_tokens += tokens\n"
                "    counts = Counter(all_tokens)\n",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="vocab_dedup_against_global_specials",
        question="q1",
        description="corpus tokens deduplicated against the global SPECIALS instead of the given specials: a custom special is added twice, a global special-like token is dropped",
        kind="tolerance",
        target="build_vocab",
        edits=(("and t not in vocab]", "and t not in SPECIALS]"),),
        rerun=(),
    ),
    Mutant(
        name="vocab_counts_only_last_text",
        question="q1",
        description="counter reassigned inside the loop over texts (counts = Counter(tokens)): only the last text is counted",
        kind="loop",
        target="build_vocab",
        edits=(
            (
                "    counts = Counter(token for tokens in token_lists for token in tokens)\n",
                "    for tokens in token_lists:\n        counts = Counter(tokens)\n",
            ),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q2
    Mutant(
        name="pad_batch_time_major",
        question="q2",
        description="pad_sequence used without batch_first=True: ids and mask come back time-major (T, B) instead of (B, T)",
        kind="formula",
        target="pad_batch",
        edits=(
            (
                "    ids = torch.full((len(sequences), int(lengths.max())), pad_id, dtype=torch.long)\n"
                "    for row, seq in enumerate(sequences):\n"
                "        ids[row, : len(seq)] = torch.tensor(seq, dtype=torch.long)\n"
                "    mask = torch.arange(ids.shape[1])[None, :] < lengths[:, None]\n",
                "    ids = nn.utils.rnn.pad_sequence(\n"
                "        [torch.tensor(seq, dtype=torch.long) for seq in sequences], padding_value=pad_id\n"
                "    )\n"
                "    mask = torch.arange(ids.shape[0])[:, None] < lengths[None, :]\n",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="pad_batch_lengths_python_list",
        question="q2",
        description="lengths kept and returned as a Python list of ints instead of a torch.long tensor",
        kind="formula",
        target="pad_batch",
        edits=(
            (
                "lengths = torch.tensor([len(s) for s in sequences], dtype=torch.long)",
                "lengths = [len(s) for s in sequences]",
            ),
            ("int(lengths.max())", "max(lengths)"),
            ("< lengths[:, None]", "< torch.tensor(lengths)[:, None]"),
        ),
        rerun=(),
    ),
    Mutant(
        name="encode_bos_eos_coupled",
        question="q2",
        description="<bos> and <eos> added together when either flag is set (add_bos or add_eos)",
        kind="formula",
        target="encode",
        edits=(
            (
                "    if add_bos:\n"
                "        ids = [vocab[BOS]] + ids\n"
                "    if add_eos:\n"
                "        ids = ids + [vocab[EOS]]\n",
                "    if add_bos or add_eos:\n        ids = [vocab[BOS]] + ids + [vocab[EOS]]\n",
            ),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q3
    Mutant(
        name="embedding_skips_first_four_ids",
        question="q3",
        description="special tokens recognised by id < 4 (hard-coded count of SPECIALS) instead of by token: with fewer specials real words get the <unk> vector",
        kind="tolerance",
        target="embedding_matrix",
        edits=(
            (
                "if token in navec and token not in SPECIALS:",
                "if token in navec and i >= len(SPECIALS):",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="cls_vocab_navec_words_only",
        question="q3",
        description="classifier vocabulary built only from training tokens that exist in navec (OOV words dropped before build_vocab)",
        kind="formula",
        target="cls_vocab = build_vocab",
        edits=(
            (
                "build_vocab([tokenize(text) for text, _ in cls_train], min_freq=1)",
                "build_vocab([[t for t in tokenize(text) if t in navec] for text, _ in cls_train], min_freq=1)",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    Mutant(
        name="cls_vocab_includes_heldout_texts",
        question="q3",
        description="classifier vocabulary built from cls_train plus load_cloze(heldout=True): the held-out test contexts leak into the vocabulary",
        kind="formula",
        target="cls_vocab = build_vocab",
        edits=(
            (
                "for text, _ in cls_train]",
                "for text, _ in cls_train + load_cloze(heldout=True)]",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    # ------------------------------------------------------------------ q4
    Mutant(
        name="cloze_no_relu_zero_filled_padding",
        question="q4",
        description="ReLU after the convolution dropped while padded positions are still filled with 0 before max-pooling: a padded 0 beats negative real features",
        kind="formula",
        target="ClozeClassifier",
        edits=(
            (
                "conv = torch.relu(self.conv(vectors.transpose(1, 2))).transpose(1, 2)",
                "conv = self.conv(vectors.transpose(1, 2)).transpose(1, 2)",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    Mutant(
        name="cloze_mask_from_lengths_off_by_one",
        question="q4",
        description="forward rebuilds the mask from lengths with <=: the first padding position counts as a real token in the mean and the max-pool",
        kind="formula",
        target="ClozeClassifier",
        edits=(
            (
                "        known = mask & (ids != 1)",
                "        mask = torch.arange(ids.shape[1])[None, :] <= lengths[:, None]\n"
                "        known = mask & (ids != 1)",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    Mutant(
        name="cloze_word_dropout_active_in_eval",
        question="q4",
        description="random word dropout to <unk> added in forward without checking self.training: predictions in eval mode are random",
        kind="mode",
        target="ClozeClassifier",
        edits=(
            (
                "        known = mask & (ids != 1)",
                "        ids = ids.masked_fill(torch.rand(ids.shape) < 0.1, 1)\n        known = mask & (ids != 1)",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    # ------------------------------------------------------------------ q5
    Mutant(
        name="bio_state_not_reset_on_close",
        question="q5",
        description="current entity not reset after it is closed: every later O or orphan I closes (and re-emits) the same entity again",
        kind="loop",
        target="bio_to_spans",
        edits=(
            (
                "            spans.append((kind, start, i))\n            kind = None\n",
                "            spans.append((kind, start, i))\n",
            ),
        ),
        rerun=(NER_F1,),
    ),
    Mutant(
        name="bio_sentinel_concat_requires_list",
        question="q5",
        description="end sentinel added with tags + ['O']: a tuple (or array) of tags raises instead of being accepted",
        kind="tolerance",
        target="bio_to_spans",
        edits=(('enumerate(list(tags) + ["O"])', 'enumerate(tags + ["O"])'),),
        rerun=(),
    ),
    Mutant(
        name="span_f1_concatenated_sentences",
        question="q5",
        description="all sentences concatenated into one tag sequence before bio_to_spans: an I-X opening a sentence continues the previous sentence's entity, and offsets shift when predicted lengths differ",
        kind="tolerance",
        target="span_f1",
        edits=(
            (
                "    true = {(s, *span) for s, tags in enumerate(true_tags) for span in bio_to_spans(tags)}\n"
                "    pred = {(s, *span) for s, tags in enumerate(pred_tags) for span in bio_to_spans(tags)}\n",
                "    true = set(bio_to_spans([tag for tags in true_tags for tag in tags]))\n"
                "    pred = set(bio_to_spans([tag for tags in pred_tags for tag in tags]))\n",
            ),
        ),
        rerun=(NER_F1,),
    ),
    Mutant(
        name="span_f1_pred_spans_from_true_copy_paste",
        question="q5",
        description="copy-paste slip: the predicted spans are extracted from true_tags, so every prediction looks perfect",
        kind="formula",
        target="span_f1",
        edits=(("enumerate(pred_tags)", "enumerate(true_tags)"),),
        rerun=(NER_F1,),
    ),
    # ------------------------------------------------------------------ q6
    Mutant(
        name="ner_char_vectors_reshaped_time_major",
        question="q6",
        description="per-word char vectors reshaped back as (T, B) and transposed although they were flattened batch-major: words get other words' char features",
        kind="formula",
        target="NerTagger",
        edits=(
            (
                "char_vec.reshape(B, T, -1)",
                "char_vec.reshape(T, B, -1).transpose(0, 1)",
            ),
        ),
        rerun=(NER_TRAIN, NER_F1),
    ),
    Mutant(
        name="ner_pack_lengths_minus_one",
        question="q6",
        description="packing lengths taken as mask.sum - 1 (last index instead of length): the last word of every sentence is cut from the LSTM",
        kind="formula",
        target="NerTagger",
        edits=(
            (
                "lengths = mask.sum(dim=1).clamp(min=1).cpu()",
                "lengths = (mask.sum(dim=1) - 1).clamp(min=1).cpu()",
            ),
        ),
        rerun=(NER_TRAIN, NER_F1),
    ),
    Mutant(
        name="ner_char_no_relu_zero_filled_padding",
        question="q6",
        description="ReLU after the char convolution dropped while padded chars are still filled with 0 before max-pooling: word vectors depend on the batch's word width",
        kind="formula",
        target="NerTagger",
        edits=(
            (
                "char_vec = torch.relu(self.char_conv(chars))",
                "char_vec = self.char_conv(chars)",
            ),
        ),
        rerun=(NER_TRAIN, NER_F1),
    ),
    Mutant(
        name="ner_val_f1_percent",
        question="q6",
        description="ner_val_f1 reported in percent (multiplied by 100) instead of as a fraction",
        kind="formula",
        target=NER_F1,
        edits=((NER_F1, "ner_val_f1 = 100 * span_f1"),),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q7
    Mutant(
        name="attention_renormalised_after_softmax",
        question="q7",
        description="softmax over all positions, padding zeroed and weights renormalised: exact for moderate scores but real weights underflow when a padded score is huge",
        kind="tolerance",
        target="attention",
        edits=(
            (
                '    scores = scores.masked_fill(~mask, float("-inf"))\n'
                "    weights = torch.softmax(scores, dim=1)\n",
                "    weights = torch.softmax(scores, dim=1) * mask\n"
                "    weights = weights / weights.sum(dim=1, keepdim=True)\n",
            ),
        ),
        rerun=(TR_TRAIN, VAL),
    ),
    Mutant(
        name="attention_sigmoid_weights",
        question="q7",
        description="weights computed with a sigmoid of the scores instead of a softmax over T (they do not sum to 1)",
        kind="formula",
        target="attention",
        edits=(
            (
                "weights = torch.softmax(scores, dim=1)",
                "weights = torch.sigmoid(scores)",
            ),
        ),
        rerun=(TR_TRAIN, VAL),
    ),
    Mutant(
        name="attention_softmax_over_singleton_axis",
        question="q7",
        description="scores kept as (B, T, 1) from bmm and softmax taken over the last (size-1) axis: real weights are all 1, padded ones NaN",
        kind="formula",
        target="attention",
        edits=(
            (
                "    scores = torch.bmm(keys, query.unsqueeze(2)).squeeze(2)\n"
                '    scores = scores.masked_fill(~mask, float("-inf"))\n'
                "    weights = torch.softmax(scores, dim=1)\n",
                "    scores = torch.bmm(keys, query.unsqueeze(2))\n"
                '    scores = scores.masked_fill(~mask.unsqueeze(2), float("-inf"))\n'
                "    weights = torch.softmax(scores, dim=-1).squeeze(2)\n",
            ),
        ),
        rerun=(TR_TRAIN, VAL),
    ),
    Mutant(
        name="attention_context_uses_unmasked_softmax",
        question="q7",
        description="returned weights are masked, but the context is built from a softmax computed before masking (wrong variable): padding leaks into the context",
        kind="formula",
        target="attention",
        edits=(
            (
                '    scores = scores.masked_fill(~mask, float("-inf"))\n'
                "    weights = torch.softmax(scores, dim=1)\n"
                "    context = torch.bmm(weights.unsqueeze(1), values).squeeze(1)\n",
                "    probs = torch.softmax(scores, dim=1)\n"
                '    scores = scores.masked_fill(~mask, float("-inf"))\n'
                "    weights = torch.softmax(scores, dim=1)\n"
                "    context = torch.bmm(probs.unsqueeze(1), values).squeeze(1)\n",
            ),
        ),
        rerun=(TR_TRAIN, VAL),
    ),
    # ------------------------------------------------------------------ q8
    Mutant(
        name="seq2seq_mask_all_true",
        question="q8",
        description="encode returns an all-True mask instead of src != 0: attention spreads weight over padded source positions",
        kind="formula",
        target="Seq2Seq",
        edits=(
            (
                "return enc_out, src != 0, h",
                "return enc_out, torch.ones_like(src, dtype=torch.bool), h",
            ),
        ),
        rerun=(TR_TRAIN, VAL),
    ),
    Mutant(
        name="seq2seq_forward_time_major_logits",
        question="q8",
        description="per-step logits stacked on dim 0: forward returns (L, B, V) and the loss pairs logits with the wrong targets",
        kind="formula",
        target="Seq2Seq",
        edits=(("torch.stack(steps, dim=1)", "torch.stack(steps, dim=0)"),),
        rerun=(TR_TRAIN, VAL),
    ),
    Mutant(
        name="seq2seq_loss_sum_over_batch_size",
        question="q8",
        description="loss summed over real tokens and divided by the batch size instead of averaged over the real tokens",
        kind="formula",
        target="seq2seq_loss",
        edits=(
            (
                "ignore_index=pad_id\n    )",
                'ignore_index=pad_id, reduction="sum"\n    ) / logits.shape[0]',
            ),
        ),
        rerun=(TR_TRAIN, VAL),
    ),
    Mutant(
        name="seq2seq_encoder_unidirectional",
        question="q8",
        description="encoder GRU made unidirectional with 2*hidden units to keep the shapes, although a bidirectional GRU is required",
        kind="outcome",
        target="Seq2Seq",
        edits=(
            (
                "nn.GRU(emb_dim, hidden, batch_first=True, bidirectional=True)",
                "nn.GRU(emb_dim, 2 * hidden, batch_first=True)",
            ),
            ("torch.cat([h_n[0], h_n[1]], dim=1)", "h_n[0]"),
        ),
        rerun=(TR_TRAIN, VAL),
    ),
    Mutant(
        name="seq2seq_teacher_forcing_ratio_half",
        question="q8",
        description="tutorial-style teacher_forcing_ratio=0.5: at random steps forward feeds the model's own argmax instead of tgt_in[:, t]",
        kind="loop",
        target="Seq2Seq",
        edits=(
            (
                "            logits, h = self.decode_step(tgt_in[:, t], h, enc_out, mask)\n",
                "            y_prev = tgt_in[:, t] if t == 0 or torch.rand(1).item() < 0.5 else logits.argmax(dim=1)\n"
                "            logits, h = self.decode_step(y_prev, h, enc_out, mask)\n",
            ),
        ),
        rerun=(TR_TRAIN, VAL),
    ),
    Mutant(
        name="seq2seq_target_embedding_detached",
        question="q8",
        description="embedding of the previous target token detached in decode_step: the target embedding table never receives gradients",
        kind="graph",
        target="Seq2Seq",
        edits=(("self.tgt_emb(y_prev)", "self.tgt_emb(y_prev).detach()"),),
        rerun=(TR_TRAIN, VAL),
    ),
    # ------------------------------------------------------------------ q9
    Mutant(
        name="greedy_hidden_state_not_updated",
        question="q9",
        description="new decoder state from decode_step discarded (logits, _ = ...): every step starts from the encoder's initial state",
        kind="loop",
        target="greedy_decode",
        edits=(
            (
                "logits, h = model.decode_step(y, h, enc_out, mask)",
                "logits, _ = model.decode_step(y, h, enc_out, mask)",
            ),
        ),
        rerun=(VAL,),
    ),
    Mutant(
        name="greedy_max_len_off_by_one_extra",
        question="q9",
        description="loop runs max_len + 1 steps: a sequence that never emits <eos> gets max_len + 1 tokens",
        kind="tolerance",
        target="greedy_decode",
        edits=(("for _ in range(max_len):", "for _ in range(max_len + 1):"),),
        rerun=(VAL,),
    ),
    Mutant(
        name="greedy_drops_first_token",
        question="q9",
        description="'without <bos>' misread: the first generated token is removed from every output",
        kind="formula",
        target="greedy_decode",
        edits=(("    return outputs\n", "    return [row[1:] for row in outputs]\n"),),
        rerun=(VAL,),
    ),
    Mutant(
        name="greedy_samples_instead_of_argmax",
        question="q9",
        description="next token sampled from softmax(logits) with torch.multinomial instead of taking the argmax (unseeded, not greedy)",
        kind="formula",
        target="greedy_decode",
        edits=(
            (
                "y = logits.argmax(dim=1)",
                "y = torch.multinomial(torch.softmax(logits, dim=1), 1).squeeze(1)",
            ),
        ),
        rerun=(VAL,),
    ),
    # ------------------------------------------------------------------ q10
    Mutant(
        name="bleu_log10_with_exp",
        question="q10",
        description="log precisions taken with math.log10 but combined with math.exp: not the geometric mean",
        kind="formula",
        target="corpus_bleu",
        edits=(("math.log(m / t)", "math.log10(m / t)"),),
        rerun=(VAL,),
    ),
    Mutant(
        name="bleu_orders_zero_to_max_n_minus_one",
        question="q10",
        description="n-gram orders iterate range(max_n) = 0..max_n-1: a trivial 0-gram precision replaces the max_n-gram precision",
        kind="formula",
        target="corpus_bleu",
        edits=(
            ("for n in range(1, max_n + 1):", "for n in range(max_n):"),
            ("matches[n - 1]", "matches[n]"),
            ("totals[n - 1]", "totals[n]"),
        ),
        rerun=(VAL,),
    ),
    Mutant(
        name="bleu_matches_count_distinct_ngrams",
        question="q10",
        description="matches count distinct hypothesis n-grams found in the reference (no per-count clipping) while totals count all n-grams",
        kind="formula",
        target="corpus_bleu",
        edits=(
            (
                "sum(min(c, ref_ngrams[g]) for g, c in hyp_ngrams.items())",
                "sum(1 for g in hyp_ngrams if g in ref_ngrams)",
            ),
        ),
        rerun=(VAL,),
    ),
    # ------------------------------------------------------------------ q11
    Mutant(
        name="translator_val_exact_list_equality",
        question="q11",
        description="exact match computed as np.mean(list_a == list_b): one bool for the whole list instead of a per-pair comparison",
        kind="formula",
        target=VAL,
        edits=(
            (
                'float(np.mean(["".join(t) == p for (_, t), p in zip(translator_val, _val_pred)]))',
                'float(np.mean(_val_pred == ["".join(t) for _, t in translator_val]))',
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="translator_val_bleu_hyps_tokenized",
        question="q11",
        description="hypotheses passed through tokenize (one token per number) while references are digit lists",
        kind="formula",
        target=VAL,
        edits=(("[list(p) for p in _val_pred]", "[tokenize(p) for p in _val_pred]"),),
        rerun=(),
    ),
    Mutant(
        name="translator_val_translates_target_digits",
        question="q11",
        description="pairs unpacked the wrong way round: translate is given the target digits instead of the source words",
        kind="formula",
        target=VAL,
        edits=(
            (
                'translate([" ".join(src) for src, _ in translator_val])',
                'translate([" ".join(src) for _, src in translator_val])',
            ),
        ),
        rerun=(),
    ),
]
