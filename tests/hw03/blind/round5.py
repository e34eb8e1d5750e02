"""Blind round 5 for hw03 (issue #26): written by a helper who read only the task text, the reference solution and the names of rounds 1-4 (tests/mutation/blind_kit.py), never the tests."""

from mutation.harness import Mutant

TRAIN_CLS = "cls_model = ClozeClassifier(cls_embeddings, len(CLOZE_WORDS))"
CLS_EMB = "cls_embeddings = embedding_matrix(cls_vocab, navec)"
TRAIN_NER = "ner_model = NerTagger(len(ner_word_vocab)"
NER_F1 = "ner_val_f1 = span_f1("
TRAIN_TR = "translator = Seq2Seq(len(translator_src_vocab)"
TR_METRICS = "_val_pred = translate("

MUTANTS = [
    # ---------------------------------------------------------------- q1
    Mutant(
        name="vocab_ids_gap_after_special_in_corpus",
        question="q1",
        description="ids assigned as len(specials) + rank among all kept corpus tokens: a corpus token equal to a special is skipped but still consumes an id, leaving a gap",
        kind="formula",
        target="build_vocab",
        edits=(
            (
                "    kept = [t for t, c in counts.items() if c >= min_freq and t not in vocab]\n"
                "    for token in sorted(kept, key=lambda t: (-counts[t], t)):\n"
                "        vocab[token] = len(vocab)\n",
                "    kept = [t for t, c in counts.items() if c >= min_freq]\n"
                "    for rank, token in enumerate(sorted(kept, key=lambda t: (-counts[t], t))):\n"
                "        if token not in vocab:\n"
                "            vocab[token] = len(specials) + rank\n",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="vocab_sorted_alphabetically_only",
        question="q1",
        description="kept tokens sorted alphabetically only: the decreasing-frequency order is ignored",
        kind="formula",
        target="build_vocab",
        edits=(("sorted(kept, key=lambda t: (-counts[t], t))", "sorted(kept)"),),
        rerun=(),
    ),
    # ---------------------------------------------------------------- q2
    Mutant(
        name="pad_batch_lengths_count_non_pad_ids",
        question="q2",
        description="lengths recomputed as the number of ids different from pad_id, so a real token equal to pad_id shortens the reported length",
        kind="formula",
        target="pad_batch",
        edits=(
            (
                "    return ids, lengths, mask\n",
                "    lengths = (ids != pad_id).sum(dim=1)\n    return ids, lengths, mask\n",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="encode_bos_appended_instead_of_prepended",
        question="q2",
        description="copy-paste bug: the <bos> id is appended at the end (like <eos>) instead of prepended",
        kind="formula",
        target="encode",
        edits=(("ids = [vocab[BOS]] + ids", "ids = ids + [vocab[BOS]]"),),
        rerun=(TRAIN_TR, TR_METRICS),
    ),
    # ---------------------------------------------------------------- q3
    Mutant(
        name="cls_vocab_untokenized_strings",
        question="q3",
        description="build_vocab fed the raw text strings instead of tokenize(text): the classifier vocabulary holds single characters",
        kind="outcome",
        target="cls_vocab = build_vocab(",
        edits=(
            (
                "[tokenize(text) for text, _ in cls_train]",
                "[text for text, _ in cls_train]",
            ),
        ),
        rerun=(TRAIN_CLS,),
    ),
    Mutant(
        name="embedding_dim_hardcoded_300",
        question="q3",
        description="matrix width hard-coded to 300 instead of the size of the navec vectors",
        kind="tolerance",
        target="embedding_matrix",
        edits=(
            (
                "    matrix = unk.repeat(len(vocab), 1)\n",
                "    matrix = torch.empty(len(vocab), 300)\n    matrix[:] = unk\n",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="embedding_oov_rows_mean_vector",
        question="q3",
        description="tokens missing from navec (and <unk>/<bos>/<eos>) get the mean of the known vectors instead of navec['<unk>']",
        kind="formula",
        target="embedding_matrix",
        edits=(
            (
                "    matrix = unk.repeat(len(vocab), 1)\n",
                "    known = [\n"
                "        torch.from_numpy(np.asarray(navec[t], dtype=np.float32))\n"
                "        for t in vocab\n"
                "        if t in navec and t not in SPECIALS\n"
                "    ]\n"
                "    fallback = torch.stack(known).mean(dim=0) if known else unk\n"
                "    matrix = fallback.repeat(len(vocab), 1)\n",
            ),
        ),
        rerun=(CLS_EMB, TRAIN_CLS),
    ),
    # ---------------------------------------------------------------- q4
    Mutant(
        name="cloze_mean_denominator_whole_batch",
        question="q4",
        description="mean embedding divided by the number of known tokens in the whole batch (sum without dim) instead of per text",
        kind="formula",
        target="ClozeClassifier",
        edits=(("known.sum(dim=1).clamp(min=1)[:, None]", "known.sum().clamp(min=1)"),),
        rerun=(TRAIN_CLS,),
    ),
    Mutant(
        name="cloze_zeroes_unk_ids_in_place",
        question="q4",
        description="<unk> ids rewritten to the <pad> id directly in the caller's ids tensor (ids[ids == 1] = 0) to exclude them from pooling",
        kind="in_place",
        target="ClozeClassifier",
        edits=(
            (
                "known = mask & (ids != 1)",
                "ids[ids == 1] = 0\n        known = mask & (ids != 0)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="cloze_logits_squeezed",
        question="q4",
        description="logits passed through .squeeze(): a batch of one text returns shape (n_classes,) instead of (1, n_classes)",
        kind="tolerance",
        target="ClozeClassifier",
        edits=(
            (
                "return self.head(torch.cat([peak, mean], dim=1))",
                "return self.head(torch.cat([peak, mean], dim=1)).squeeze()",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="cloze_features_from_last_position",
        question="q4",
        description="CNN features read at the last time step conv[:, -1] (a padding position for shorter texts) instead of max-pooled over real tokens",
        kind="formula",
        target="ClozeClassifier",
        edits=(
            (
                "peak = conv.masked_fill(~mask[..., None], 0.0).max(dim=1).values",
                "peak = conv[:, -1]",
            ),
        ),
        rerun=(TRAIN_CLS,),
    ),
    Mutant(
        name="cloze_normalises_callers_embeddings",
        question="q4",
        description="embedding rows L2-normalised in place via weight.data after from_pretrained, which shares storage with the caller's embeddings matrix",
        kind="in_place",
        target="ClozeClassifier",
        edits=(
            (
                "        self.embedding = nn.Embedding.from_pretrained(embeddings, freeze=True, padding_idx=0)\n",
                "        self.embedding = nn.Embedding.from_pretrained(embeddings, freeze=True, padding_idx=0)\n"
                "        self.embedding.weight.data /= self.embedding.weight.data.norm(dim=1, keepdim=True).clamp(min=1e-6)\n",
            ),
        ),
        rerun=(TRAIN_CLS,),
    ),
    # ---------------------------------------------------------------- q5
    Mutant(
        name="bio_o_does_not_close_entity",
        question="q5",
        description="O tags are skipped without closing the current entity, so B-X O I-X becomes one entity spanning the O",
        kind="formula",
        target="bio_to_spans",
        edits=(
            (
                "    spans = []\n"
                "    kind, start = None, None\n"
                '    for i, tag in enumerate(list(tags) + ["O"]):\n'
                '        prefix, _, label = tag.partition("-")\n'
                '        if prefix == "I" and kind == label:\n'
                "            continue\n"
                "        if kind is not None:\n"
                "            spans.append((kind, start, i))\n"
                "            kind = None\n"
                '        if prefix in ("B", "I"):\n'
                "            kind, start = label, i\n"
                "    return spans\n",
                "    spans = []\n"
                "    kind, start, end = None, None, None\n"
                "    for i, tag in enumerate(tags):\n"
                '        prefix, _, label = tag.partition("-")\n'
                '        if prefix == "O":\n'
                "            continue\n"
                '        if prefix == "I" and kind == label:\n'
                "            end = i + 1\n"
                "            continue\n"
                "        if kind is not None:\n"
                "            spans.append((kind, start, end))\n"
                "        kind, start, end = label, i, i + 1\n"
                "    if kind is not None:\n"
                "        spans.append((kind, start, end))\n"
                "    return spans\n",
            ),
        ),
        rerun=(NER_F1,),
    ),
    Mutant(
        name="bio_final_entity_end_off_by_one",
        question="q5",
        description="no end sentinel: an entity running to the end of the sentence is closed after the loop with the last index i, so its end is one short",
        kind="formula",
        target="bio_to_spans",
        edits=(
            ('enumerate(list(tags) + ["O"])', "enumerate(tags)"),
            (
                "    return spans\n",
                "    if kind is not None:\n        spans.append((kind, start, i))\n    return spans\n",
            ),
        ),
        rerun=(NER_F1,),
    ),
    Mutant(
        name="span_f1_token_level",
        question="q5",
        description="precision/recall counted over non-O tokens (sentence, position, tag) instead of over whole entities",
        kind="formula",
        target="span_f1",
        edits=(
            (
                "for span in bio_to_spans(tags)}",
                'for span in enumerate(tags) if span[1] != "O"}',
            ),
        ),
        rerun=(NER_F1,),
    ),
    Mutant(
        name="span_f1_macro_over_types",
        question="q5",
        description="precision and recall macro-averaged over entity types instead of micro-averaged over all entities",
        kind="formula",
        target="span_f1",
        edits=(
            (
                "    hits = len(true & pred)\n"
                "    precision = hits / len(pred) if pred else 0.0\n"
                "    recall = hits / len(true) if true else 0.0\n",
                "    per_type = []\n"
                "    for kind in sorted({span[1] for span in true | pred}):\n"
                "        t = {span for span in true if span[1] == kind}\n"
                "        p = {span for span in pred if span[1] == kind}\n"
                "        hits = len(t & p)\n"
                "        per_type.append((hits / len(p) if p else 0.0, hits / len(t) if t else 0.0))\n"
                "    precision = sum(p for p, _ in per_type) / len(per_type) if per_type else 0.0\n"
                "    recall = sum(r for _, r in per_type) / len(per_type) if per_type else 0.0\n",
            ),
        ),
        rerun=(NER_F1,),
    ),
    Mutant(
        name="span_f1_partial_overlap_counts",
        question="q5",
        description="a predicted entity counts as a hit when it overlaps a true entity of the same type (lenient match) instead of matching start and end exactly",
        kind="formula",
        target="span_f1",
        edits=(
            (
                "    hits = len(true & pred)\n",
                "    hits = sum(\n"
                "        any(t[0] == p[0] and t[1] == p[1] and t[2] < p[3] and p[2] < t[3] for t in true)\n"
                "        for p in pred\n"
                "    )\n",
            ),
        ),
        rerun=(NER_F1,),
    ),
    # ---------------------------------------------------------------- q6
    Mutant(
        name="ner_word_dropout_active_in_eval",
        question="q6",
        description="word dropout to <unk> added inside forward without checking self.training: tagging in eval mode is random and degraded",
        kind="mode",
        target="NerTagger",
        edits=(
            (
                "        B, T, C = char_ids.shape\n",
                "        B, T, C = char_ids.shape\n"
                "        word_ids = word_ids.masked_fill((torch.rand(word_ids.shape) < 0.2) & mask, 1)\n",
            ),
        ),
        rerun=(TRAIN_NER, NER_F1),
    ),
    Mutant(
        name="ner_word_dropout_edits_callers_ids",
        question="q6",
        description="training-mode word dropout applied with masked_fill_ on the caller's word_ids tensor (input changed in place)",
        kind="in_place",
        target="NerTagger",
        edits=(
            (
                "        B, T, C = char_ids.shape\n",
                "        B, T, C = char_ids.shape\n"
                "        if self.training:\n"
                "            word_ids.masked_fill_((torch.rand(word_ids.shape) < 0.1) & mask, 1)\n",
            ),
        ),
        rerun=(TRAIN_NER, NER_F1),
    ),
    Mutant(
        name="ner_unpack_without_total_length",
        question="q6",
        description="pad_packed_sequence without total_length: with extra padding columns the logits have fewer time steps than word_ids",
        kind="tolerance",
        target="NerTagger",
        edits=(
            (
                "nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=T)",
                "nn.utils.rnn.pad_packed_sequence(out, batch_first=True)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="ner_empty_sentence_lengths_not_clamped",
        question="q6",
        description="packing lengths taken as mask.sum(dim=1) without clamp: a batch containing an empty sentence makes pack_padded_sequence fail",
        kind="tolerance",
        target="NerTagger",
        edits=(
            (
                "lengths = mask.sum(dim=1).clamp(min=1).cpu()",
                "lengths = mask.sum(dim=1).cpu()",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="ner_val_f1_token_accuracy",
        question="q6",
        description="ner_val_f1 computed as token-level tag accuracy on ner_val instead of entity-level span_f1",
        kind="formula",
        target=NER_F1,
        edits=(
            (
                "ner_val_f1 = span_f1([tags for _, tags in ner_val], tag_sentences([tokens for tokens, _ in ner_val]))[2]",
                "_ner_pred = tag_sentences([tokens for tokens, _ in ner_val])\n"
                "ner_val_f1 = float(\n"
                "    np.mean([t == p for (_, tags), pred in zip(ner_val, _ner_pred) for t, p in zip(tags, pred)])\n"
                ")",
            ),
        ),
        rerun=(),
    ),
    # ---------------------------------------------------------------- q7
    Mutant(
        name="attention_context_averaged_over_T",
        question="q7",
        description="context is the mean over T of the weighted values instead of their sum (divided by T)",
        kind="formula",
        target="attention",
        edits=(
            (
                "context = torch.bmm(weights.unsqueeze(1), values).squeeze(1)",
                "context = (weights.unsqueeze(2) * values).mean(dim=1)",
            ),
        ),
        rerun=(TRAIN_TR, TR_METRICS),
    ),
    Mutant(
        name="attention_masks_values_not_scores",
        question="q7",
        description="padding handled by zeroing the padded values instead of setting their scores to -inf: padding still gets softmax weight",
        kind="formula",
        target="attention",
        edits=(
            (
                'scores = scores.masked_fill(~mask, float("-inf"))',
                "values = values * mask.unsqueeze(2)",
            ),
        ),
        rerun=(TRAIN_TR, TR_METRICS),
    ),
    Mutant(
        name="attention_cosine_scores",
        question="q7",
        description="scores are cosine similarities of query and keys instead of raw dot products",
        kind="formula",
        target="attention",
        edits=(
            (
                "scores = torch.bmm(keys, query.unsqueeze(2)).squeeze(2)",
                "scores = F.cosine_similarity(keys, query.unsqueeze(1), dim=2)",
            ),
        ),
        rerun=(TRAIN_TR, TR_METRICS),
    ),
    # ---------------------------------------------------------------- q8
    Mutant(
        name="seq2seq_init_state_reshape_mixes_batch",
        question="q8",
        description="encoder final states flattened with h_n.reshape(B, -1) instead of concatenating h_n[0] and h_n[1]: rows mix states of different sentences",
        kind="formula",
        target="Seq2Seq",
        edits=(("torch.cat([h_n[0], h_n[1]], dim=1)", "h_n.reshape(src.shape[0], -1)"),),
        rerun=(TRAIN_TR, TR_METRICS),
    ),
    Mutant(
        name="seq2seq_loss_nll_on_raw_logits",
        question="q8",
        description="F.nll_loss applied to raw logits (no log_softmax): the loss is minus the mean target logit",
        kind="formula",
        target="seq2seq_loss",
        edits=(("F.cross_entropy(", "F.nll_loss("),),
        rerun=(TRAIN_TR, TR_METRICS),
    ),
    Mutant(
        name="seq2seq_loss_rewrapped_as_leaf",
        question="q8",
        description="loss re-wrapped as torch.tensor(loss.item(), requires_grad=True): backward reaches no model parameter, so training does nothing",
        kind="graph",
        target="seq2seq_loss",
        edits=(
            ("return F.cross_entropy(", "return torch.tensor(F.cross_entropy("),
            (
                "ignore_index=pad_id\n    )",
                "ignore_index=pad_id\n    ).item(), requires_grad=True)",
            ),
        ),
        rerun=(TRAIN_TR, TR_METRICS),
    ),
    Mutant(
        name="seq2seq_fixed_mean_context_no_attention",
        question="q8",
        description="decode_step skips attention: the context is the fixed masked mean of enc_out at every step",
        kind="outcome",
        target="Seq2Seq",
        edits=(
            (
                "context, _ = attention(self.to_query(h), enc_out, enc_out, mask)",
                "context = (enc_out * mask[..., None]).sum(dim=1) / mask.sum(dim=1, keepdim=True)",
            ),
        ),
        rerun=(TRAIN_TR, TR_METRICS),
    ),
    Mutant(
        name="seq2seq_teacher_forcing_previous_column",
        question="q8",
        description="teacher forcing feeds tgt_in[:, t - 1] (shifted once more; step 0 gets the last column) instead of tgt_in[:, t]",
        kind="loop",
        target="Seq2Seq",
        edits=(
            (
                "self.decode_step(tgt_in[:, t], h, enc_out, mask)",
                "self.decode_step(tgt_in[:, t - 1], h, enc_out, mask)",
            ),
        ),
        rerun=(TRAIN_TR, TR_METRICS),
    ),
    # ---------------------------------------------------------------- q9
    Mutant(
        name="greedy_always_feeds_bos",
        question="q9",
        description="the argmax is stored in a new variable but y is never updated: the decoder is fed <bos> at every step",
        kind="loop",
        target="greedy_decode",
        edits=(
            (
                "            y = logits.argmax(dim=1)\n"
                "            for row in range(src.shape[0]):\n"
                "                if not done[row] and y[row].item() != eos_id:\n"
                "                    outputs[row].append(y[row].item())\n"
                "            done |= y == eos_id\n",
                "            best = logits.argmax(dim=1)\n"
                "            for row in range(src.shape[0]):\n"
                "                if not done[row] and best[row].item() != eos_id:\n"
                "                    outputs[row].append(best[row].item())\n"
                "            done |= best == eos_id\n",
            ),
        ),
        rerun=(TR_METRICS,),
    ),
    Mutant(
        name="greedy_eos_id_hardcoded",
        question="q9",
        description="end of sequence detected by comparing with the literal 3 instead of the eos_id argument",
        kind="tolerance",
        target="greedy_decode",
        edits=(
            ("y[row].item() != eos_id", "y[row].item() != 3"),
            ("done |= y == eos_id", "done |= y == 3"),
        ),
        rerun=(),
    ),
    Mutant(
        name="greedy_outputs_aliased_lists",
        question="q9",
        description="outputs created as [[]] * B: all rows share one list, so every row gets the tokens of all rows",
        kind="formula",
        target="greedy_decode",
        edits=(
            (
                "outputs = [[] for _ in range(src.shape[0])]",
                "outputs = [[]] * src.shape[0]",
            ),
        ),
        rerun=(TR_METRICS,),
    ),
    Mutant(
        name="greedy_never_stops_early",
        question="q9",
        description="no early exit: the loop always runs max_len decoder steps even after every sequence has emitted <eos>",
        kind="loop",
        target="greedy_decode",
        edits=(("            if done.all():\n                break\n", ""),),
        rerun=(),
    ),
    # ---------------------------------------------------------------- q10
    Mutant(
        name="bleu_no_brevity_penalty",
        question="q10",
        description="brevity penalty omitted: BLEU is only the geometric mean of the precisions",
        kind="formula",
        target="corpus_bleu",
        edits=(
            (
                "return brevity * math.exp(log_precision)",
                "return math.exp(log_precision)",
            ),
        ),
        rerun=(TR_METRICS,),
    ),
    Mutant(
        name="bleu_unique_ngrams_only",
        question="q10",
        description="n-grams collected into a set before counting: repeated n-grams are counted once in matches and totals",
        kind="formula",
        target="corpus_bleu",
        edits=(
            ("Counter(tuple(", "Counter(set(tuple("),
            ("- n + 1))\n", "- n + 1)))\n"),
        ),
        rerun=(TR_METRICS,),
    ),
    Mutant(
        name="bleu_scaled_to_percent",
        question="q10",
        description="BLEU returned on the 0-100 scale (sacrebleu convention) instead of a number between 0 and 1",
        kind="formula",
        target="corpus_bleu",
        edits=(
            (
                "return brevity * math.exp(log_precision)",
                "return 100 * brevity * math.exp(log_precision)",
            ),
        ),
        rerun=(TR_METRICS,),
    ),
    # ---------------------------------------------------------------- q11
    Mutant(
        name="translator_val_source_joined_without_spaces",
        question="q11",
        description="source words joined with '' instead of ' ' before translate: each number becomes one unknown token",
        kind="formula",
        target=TR_METRICS,
        edits=(
            (
                'translate([" ".join(src) for src, _ in translator_val])',
                'translate(["".join(src) for src, _ in translator_val])',
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="translator_val_bleu_refs_with_eos",
        question="q11",
        description="BLEU computed on ids with references encoded with add_eos=True (like tgt_out) while hypotheses have no <eos>",
        kind="formula",
        target=TR_METRICS,
        edits=(
            (
                "translator_val_bleu = corpus_bleu([t for _, t in translator_val], [list(p) for p in _val_pred])",
                "translator_val_bleu = corpus_bleu(\n"
                "    [encode(t, translator_tgt_vocab, add_eos=True) for _, t in translator_val],\n"
                "    [encode(list(p), translator_tgt_vocab) for p in _val_pred],\n"
                ")",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="translator_val_bleu_int_vs_str_tokens",
        question="q11",
        description="hypothesis digits converted to int while reference digits stay strings: no n-gram ever matches",
        kind="formula",
        target=TR_METRICS,
        edits=(("[list(p) for p in _val_pred]", "[list(map(int, p)) for p in _val_pred]"),),
        rerun=(),
    ),
]
