"""Blind round 7 for hw03 (issue #26): written by a helper who read only the task text, the reference solution and the names of rounds 1-6 (tests/mutation/blind_kit.py), never the tests."""

from mutation.harness import Mutant

# answer cells to re-run after an edit that changes a trained model or a reported value
CLS_VOCAB = "cls_embeddings = embedding_matrix(cls_vocab, navec)"
CLS_TRAIN = "cls_model = ClozeClassifier(cls_embeddings"
NER_VOCAB = "ner_word_vocab = build_vocab("
NER_TRAIN = "ner_model = NerTagger(len(ner_word_vocab)"
NER_VAL = "ner_val_f1 = span_f1("
TR_DATA = "translator_src_vocab = build_vocab("
TR_TRAIN = "translator = Seq2Seq(len(translator_src_vocab)"
TR_VAL = "_val_pred = translate("

EVERYTHING = (
    CLS_VOCAB,
    CLS_TRAIN,
    NER_VOCAB,
    NER_TRAIN,
    NER_VAL,
    TR_DATA,
    TR_TRAIN,
    TR_VAL,
)
ALL_TRAINING = (CLS_TRAIN, NER_TRAIN, NER_VAL, TR_TRAIN, TR_VAL)
TRANSLATOR = (TR_TRAIN, TR_VAL)

MUTANTS = [
    # ------------------------------------------------------------------ q1
    Mutant(
        name="vocab_specials_sorted_set",
        question="q1",
        description="specials de-duplicated with sorted(set(specials)): they get ids in alphabetical order, not in the given order (<pad> is no longer id 0)",
        kind="formula",
        target="build_vocab",
        edits=(
            (
                "vocab = {token: i for i, token in enumerate(specials)}",
                "vocab = {token: i for i, token in enumerate(sorted(set(specials)))}",
            ),
        ),
        rerun=EVERYTHING,
    ),
    Mutant(
        name="vocab_forces_pad_into_callers_specials",
        question="q1",
        description="<pad> is inserted at the front of the caller's specials list when it is missing (list.insert): ids shift and the caller's list changes",
        kind="in_place",
        target="build_vocab",
        edits=(
            (
                "    vocab = {token: i for i, token in enumerate(specials)}",
                "    if PAD not in specials:\n"
                "        specials.insert(0, PAD)  # PAD всегда получает id 0\n"
                "    vocab = {token: i for i, token in enumerate(specials)}",
            ),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q2
    Mutant(
        name="encode_get_or_unk_treats_id_zero_as_missing",
        question="q2",
        description="ids looked up as vocab.get(token) or unk: a token whose id is 0 (falsy) is mapped to <unk>",
        kind="tolerance",
        target="encode",
        edits=(
            (
                "ids = [vocab.get(token, unk) for token in tokens]",
                "ids = [vocab.get(token) or unk for token in tokens]",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="pad_batch_rows_aliased_list",
        question="q2",
        description="padded rows built as [[pad_id] * T] * B: all rows share one list, so every row holds the overlay of all sequences",
        kind="formula",
        target="pad_batch",
        edits=(
            (
                "    ids = torch.full((len(sequences), int(lengths.max())), pad_id, dtype=torch.long)\n"
                "    for row, seq in enumerate(sequences):\n"
                "        ids[row, : len(seq)] = torch.tensor(seq, dtype=torch.long)\n",
                "    rows = [[pad_id] * int(lengths.max())] * len(sequences)\n"
                "    for row, seq in enumerate(sequences):\n"
                "        rows[row][: len(seq)] = list(seq)\n"
                "    ids = torch.tensor(rows, dtype=torch.long)\n",
            ),
        ),
        rerun=ALL_TRAINING,
    ),
    Mutant(
        name="pad_batch_lengths_after_padding",
        question="q2",
        description="lengths measured on the already padded lists: every length equals T (mask is still right)",
        kind="formula",
        target="pad_batch",
        edits=(
            (
                "    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.long)\n"
                "    ids = torch.full((len(sequences), int(lengths.max())), pad_id, dtype=torch.long)\n"
                "    for row, seq in enumerate(sequences):\n"
                "        ids[row, : len(seq)] = torch.tensor(seq, dtype=torch.long)\n"
                "    mask = torch.arange(ids.shape[1])[None, :] < lengths[:, None]\n",
                "    width = max(len(s) for s in sequences)\n"
                "    mask = torch.tensor([[True] * len(s) + [False] * (width - len(s)) for s in sequences], dtype=torch.bool)\n"
                "    padded = [list(s) + [pad_id] * (width - len(s)) for s in sequences]\n"
                "    lengths = torch.tensor([len(s) for s in padded], dtype=torch.long)\n"
                "    ids = torch.tensor(padded, dtype=torch.long)\n",
            ),
        ),
        rerun=TRANSLATOR,
    ),
    # ------------------------------------------------------------------ q3
    Mutant(
        name="embedding_oov_reuses_previous_vector",
        question="q3",
        description="loop variable not reset: a token missing from navec gets the vector of the previous known token instead of navec['<unk>']",
        kind="formula",
        target="embedding_matrix",
        edits=(
            (
                "    for token, i in vocab.items():\n"
                "        if token in navec and token not in SPECIALS:\n"
                "            matrix[i] = torch.from_numpy(np.asarray(navec[token], dtype=np.float32))\n",
                "    vector = unk\n"
                "    for token, i in vocab.items():\n"
                "        if token in navec and token not in SPECIALS:\n"
                "            vector = torch.from_numpy(np.asarray(navec[token], dtype=np.float32))\n"
                "        matrix[i] = vector\n",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    Mutant(
        name="cls_vocab_built_from_validation",
        question="q3",
        description="classifier vocabulary built from the validation texts cls_val instead of the training texts cls_train",
        kind="formula",
        target="cls_vocab = build_vocab(",
        edits=(("for text, _ in cls_train]", "for text, _ in cls_val]"),),
        rerun=(CLS_TRAIN,),
    ),
    Mutant(
        name="embedding_extra_rows_for_specials",
        question="q3",
        description="matrix allocated with len(vocab) + len(SPECIALS) rows (specials counted twice): shape is not (len(vocab), 300)",
        kind="formula",
        target="embedding_matrix",
        edits=(
            (
                "matrix = unk.repeat(len(vocab), 1)",
                "matrix = unk.repeat(len(vocab) + len(SPECIALS), 1)",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    # ------------------------------------------------------------------ q4
    Mutant(
        name="cloze_conv_replicate_padding",
        question="q4",
        description="convolution uses padding_mode='replicate': at the last real token the window sees a copy of it without padding but a zero <pad> vector with padding, so extra <pad> change the logits",
        kind="tolerance",
        target="ClozeClassifier",
        edits=(
            (
                "nn.Conv1d(embeddings.shape[1], 256, kernel_size=3, padding=1)",
                'nn.Conv1d(embeddings.shape[1], 256, kernel_size=3, padding=1, padding_mode="replicate")',
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    Mutant(
        name="cloze_mask_unsqueezed_in_place",
        question="q4",
        description="forward broadcasts the mask with mask.unsqueeze_(-1): the caller's mask tensor is reshaped in place to (B, T, 1)",
        kind="in_place",
        target="ClozeClassifier",
        edits=(
            (
                "        known = mask & (ids != 1)  # <unk> (id 1) не несёт смысла: его вектор не усредняем\n"
                "        vectors = self.embedding(ids) * known[..., None]\n"
                "        mean = vectors.sum(dim=1) / known.sum(dim=1).clamp(min=1)[:, None]\n",
                "        mask = mask.unsqueeze_(-1)  # (B, T, 1) для broadcasting\n"
                "        known = mask & (ids != 1)[..., None]  # <unk> (id 1) не усредняем\n"
                "        vectors = self.embedding(ids) * known\n"
                "        mean = vectors.sum(dim=1) / known.sum(dim=1).clamp(min=1)\n",
            ),
            ("conv.masked_fill(~mask[..., None], 0.0)", "conv.masked_fill(~mask, 0.0)"),
        ),
        rerun=(),
    ),
    Mutant(
        name="cloze_zeroes_unk_row_of_callers_matrix",
        question="q4",
        description="__init__ zeroes the <unk> row of the embeddings argument in place (embeddings[1] = 0): the caller's matrix (cls_embeddings) changes",
        kind="in_place",
        target="ClozeClassifier",
        edits=(
            (
                "self.embedding = nn.Embedding.from_pretrained(",
                "embeddings[1] = 0.0  # <unk> не несёт смысла: нулевой вектор\n"
                "        self.embedding = nn.Embedding.from_pretrained(",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    # ------------------------------------------------------------------ q5
    Mutant(
        name="bio_i_continues_only_right_after_b",
        question="q5",
        description="I-X continues the entity only when the previous tag is B-X: B-X I-X I-X is split into two entities",
        kind="formula",
        target="bio_to_spans",
        edits=(
            (
                'if prefix == "I" and kind == label:',
                'if prefix == "I" and kind == label and tags[i - 1] == "B-" + label:',
            ),
        ),
        rerun=(NER_VAL,),
    ),
    Mutant(
        name="bio_type_compared_with_full_tag",
        question="q5",
        description="continuation test compares the current type with the whole tag (kind == tag): an I-X never continues, every I-X starts a new entity",
        kind="formula",
        target="bio_to_spans",
        edits=(("kind == label", "kind == tag"),),
        rerun=(NER_VAL,),
    ),
    Mutant(
        name="span_f1_dice_missing_factor_two",
        question="q5",
        description="F1 computed as hits / (|true| + |pred|), forgetting the factor 2 of 2TP / (2TP + FP + FN)",
        kind="formula",
        target="span_f1",
        edits=(
            (
                "f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0",
                "f1 = hits / (len(true) + len(pred)) if true or pred else 0.0",
            ),
        ),
        rerun=(NER_VAL,),
    ),
    Mutant(
        name="span_f1_returns_inside_loop",
        question="q5",
        description="spans accumulated in a per-sentence loop but the return is indented inside it: only the first sentence is scored",
        kind="loop",
        target="span_f1",
        edits=(
            (
                "    true = {(s, *span) for s, tags in enumerate(true_tags) for span in bio_to_spans(tags)}\n"
                "    pred = {(s, *span) for s, tags in enumerate(pred_tags) for span in bio_to_spans(tags)}\n"
                "    hits = len(true & pred)\n"
                "    precision = hits / len(pred) if pred else 0.0\n"
                "    recall = hits / len(true) if true else 0.0\n"
                "    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0\n"
                "    return precision, recall, f1\n",
                "    true, pred = set(), set()\n"
                "    for s, (gold, guess) in enumerate(zip(true_tags, pred_tags)):\n"
                "        true |= {(s, *span) for span in bio_to_spans(gold)}\n"
                "        pred |= {(s, *span) for span in bio_to_spans(guess)}\n"
                "        hits = len(true & pred)\n"
                "        precision = hits / len(pred) if pred else 0.0\n"
                "        recall = hits / len(true) if true else 0.0\n"
                "        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0\n"
                "        return precision, recall, f1\n",
            ),
        ),
        rerun=(NER_VAL,),
    ),
    # ------------------------------------------------------------------ q6
    Mutant(
        name="ner_sorted_for_packing_not_unsorted",
        question="q6",
        description="batch sorted by length for pack_padded_sequence (enforce_sorted=True) but the LSTM output is never put back in the original order: rows are permuted",
        kind="formula",
        target="NerTagger",
        edits=(
            (
                "        packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)\n",
                "        lengths, order = lengths.sort(descending=True)\n"
                "        packed = nn.utils.rnn.pack_padded_sequence(x[order], lengths, batch_first=True)\n",
            ),
        ),
        rerun=(NER_TRAIN, NER_VAL),
    ),
    Mutant(
        name="ner_forward_returns_softmax",
        question="q6",
        description="forward returns softmax probabilities instead of logits (the training cross-entropy applies a second softmax)",
        kind="formula",
        target="NerTagger",
        edits=(("return self.out(out)", "return torch.softmax(self.out(out), dim=-1)"),),
        rerun=(NER_TRAIN, NER_VAL),
    ),
    Mutant(
        name="ner_functional_dropout_always_on",
        question="q6",
        description="F.dropout(x, 0.3) on the LSTM input without training=self.training: dropout stays active in eval mode (tag_sentences is random)",
        kind="mode",
        target="NerTagger",
        edits=(
            (
                "x = torch.cat([self.words(word_ids), char_vec.reshape(B, T, -1)], dim=2)",
                "x = torch.cat([self.words(word_ids), char_vec.reshape(B, T, -1)], dim=2)\n        x = F.dropout(x, 0.3)",
            ),
        ),
        rerun=(NER_TRAIN, NER_VAL),
    ),
    Mutant(
        name="ner_val_f1_first_100_sentences",
        question="q6",
        description="ner_val_f1 computed on the first 100 validation sentences only instead of the whole ner_val",
        kind="formula",
        target="ner_val_f1 = span_f1(",
        edits=(
            ("for _, tags in ner_val]", "for _, tags in ner_val[:100]]"),
            ("for tokens, _ in ner_val]", "for tokens, _ in ner_val[:100]]"),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q7
    Mutant(
        name="attention_mask_negated_in_place",
        question="q7",
        description="padding mask negated with mask.logical_not_(): the caller's mask is inverted in place (the next call with it masks the real tokens)",
        kind="in_place",
        target="attention",
        edits=(("scores.masked_fill(~mask, ", "scores.masked_fill(mask.logical_not_(), "),),
        rerun=TRANSLATOR,
    ),
    Mutant(
        name="attention_returns_unmasked_weights",
        question="q7",
        description="returned weights come from a softmax computed before masking (context is right, but padding gets non-zero returned weight)",
        kind="formula",
        target="attention",
        edits=(
            (
                '    scores = scores.masked_fill(~mask, float("-inf"))\n',
                "    raw_weights = torch.softmax(scores, dim=1)\n"
                '    scores = scores.masked_fill(~mask, float("-inf"))\n',
            ),
            ("return context, weights", "return context, raw_weights"),
        ),
        rerun=(),
    ),
    Mutant(
        name="attention_stable_softmax_global_max",
        question="q7",
        description="hand-written stable softmax subtracts scores.max() over the whole batch instead of per row: rows with much smaller scores underflow to 0/0",
        kind="tolerance",
        target="attention",
        edits=(
            (
                "    weights = torch.softmax(scores, dim=1)\n",
                "    exp = torch.exp(scores - scores.max())\n    weights = exp / exp.sum(dim=1, keepdim=True)\n",
            ),
        ),
        rerun=TRANSLATOR,
    ),
    Mutant(
        name="attention_values_detached",
        question="q7",
        description="values detached in the weighted sum: no gradient reaches values through the context",
        kind="graph",
        target="attention",
        edits=(
            (
                "torch.bmm(weights.unsqueeze(1), values)",
                "torch.bmm(weights.unsqueeze(1), values.detach())",
            ),
        ),
        rerun=TRANSLATOR,
    ),
    # ------------------------------------------------------------------ q8
    Mutant(
        name="seq2seq_loss_ignores_eos",
        question="q8",
        description="loss also skips <eos> targets ('only real digits'): the model is never trained to stop",
        kind="formula",
        target="seq2seq_loss",
        edits=(
            (
                "    return F.cross_entropy(\n"
                "        logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=pad_id\n"
                "    )\n",
                "    real = (targets != pad_id) & (targets != translator_tgt_vocab[EOS])\n"
                "    return F.cross_entropy(logits[real], targets[real])\n",
            ),
        ),
        rerun=TRANSLATOR,
    ),
    Mutant(
        name="seq2seq_loss_logits_flattened_time_major",
        question="q8",
        description="logits flattened time-major (transpose(0, 1) before reshape) while targets are flattened batch-major: logits are paired with other positions' targets",
        kind="formula",
        target="seq2seq_loss",
        edits=(
            (
                "logits.reshape(-1, logits.shape[-1])",
                "logits.transpose(0, 1).reshape(-1, logits.shape[-1])",
            ),
        ),
        rerun=TRANSLATOR,
    ),
    Mutant(
        name="seq2seq_mask_from_lengths_off_by_one",
        question="q8",
        description="encode builds the mask from src_lengths with <=: the first padding position of every shorter source counts as a real token",
        kind="formula",
        target="Seq2Seq",
        edits=(
            (
                "return enc_out, src != 0, h",
                "return enc_out, torch.arange(src.shape[1])[None, :] <= src_lengths[:, None], h",
            ),
        ),
        rerun=TRANSLATOR,
    ),
    Mutant(
        name="seq2seq_forward_switches_to_train",
        question="q8",
        description="forward calls self.train() ('teacher forcing is training'): the caller's eval mode is switched to train",
        kind="mode",
        target="Seq2Seq",
        edits=(
            (
                "enc_out, mask, h = self.encode(src, src_lengths)",
                "self.train()  # teacher forcing — это режим обучения\n        enc_out, mask, h = self.encode(src, src_lengths)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="seq2seq_enc_out_directions_summed",
        question="q8",
        description="encoder outputs of the two directions summed (PyTorch tutorial style): enc_out is (B, T, hidden) instead of (B, T, 2*hidden)",
        kind="formula",
        target="Seq2Seq",
        edits=(
            (
                "self.cell = nn.GRUCell(emb_dim + 2 * hidden, hidden)",
                "self.cell = nn.GRUCell(emb_dim + hidden, hidden)",
            ),
            (
                "self.to_query = nn.Linear(hidden, 2 * hidden)",
                "self.to_query = nn.Linear(hidden, hidden)",
            ),
            (
                "self.out = nn.Linear(hidden + 2 * hidden, tgt_vocab_size)",
                "self.out = nn.Linear(2 * hidden, tgt_vocab_size)",
            ),
            (
                "h = torch.tanh(self.init_h(torch.cat([h_n[0], h_n[1]], dim=1)))",
                "enc_out = enc_out[..., : self.encoder.hidden_size] + enc_out[..., self.encoder.hidden_size :]\n"
                "        h = torch.tanh(self.init_h(torch.cat([h_n[0], h_n[1]], dim=1)))",
            ),
        ),
        rerun=TRANSLATOR,
    ),
    # ------------------------------------------------------------------ q9
    Mutant(
        name="greedy_outputs_padded_with_zeros",
        question="q9",
        description="outputs made rectangular: shorter sequences are padded with id 0 up to the longest one",
        kind="formula",
        target="greedy_decode",
        edits=(
            (
                "    return outputs\n",
                "    width = max((len(o) for o in outputs), default=0)\n"
                "    return [o + [0] * (width - len(o)) for o in outputs]\n",
            ),
        ),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="greedy_break_instead_of_continue",
        question="q9",
        description="per-row loop uses break instead of continue for a finished row: the rows after it get no token at that step",
        kind="loop",
        target="greedy_decode",
        edits=(
            (
                "                if not done[row] and y[row].item() != eos_id:\n"
                "                    outputs[row].append(y[row].item())\n",
                "                if done[row] or y[row].item() == eos_id:\n"
                "                    break\n"
                "                outputs[row].append(y[row].item())\n",
            ),
        ),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="greedy_eval_on_global_translator",
        question="q9",
        description="translator.eval() called instead of model.eval(): the model passed in is decoded in its own (possibly training) mode",
        kind="mode",
        target="greedy_decode",
        edits=(("model.eval()", "translator.eval()"),),
        rerun=(),
    ),
    Mutant(
        name="greedy_starts_from_eos",
        question="q9",
        description="decoding starts from eos_id instead of bos_id (copy-paste of the wrong special id)",
        kind="formula",
        target="greedy_decode",
        edits=(
            (
                "torch.full((src.shape[0],), bos_id, dtype=torch.long)",
                "torch.full((src.shape[0],), eos_id, dtype=torch.long)",
            ),
        ),
        rerun=(TR_VAL,),
    ),
    # ------------------------------------------------------------------ q10
    Mutant(
        name="bleu_brevity_condition_inverted",
        question="q10",
        description="brevity penalty condition inverted: BP = 1 for short hypotheses (c < r) and exp(1 - r/c) > 1 for long ones",
        kind="formula",
        target="corpus_bleu",
        edits=(("brevity = 1.0 if c > r else", "brevity = 1.0 if c < r else"),),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="bleu_clip_max_instead_of_min",
        question="q10",
        description="clipping written with max(count, ref_count) instead of min: unmatched n-grams count as matches",
        kind="formula",
        target="corpus_bleu",
        edits=(("min(c, ref_ngrams[g])", "max(c, ref_ngrams[g])"),),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="bleu_product_of_precisions",
        question="q10",
        description="sum of log precisions not divided by max_n: BLEU uses the product of the precisions instead of their geometric mean",
        kind="formula",
        target="corpus_bleu",
        edits=(
            (
                "log_precision = sum(math.log(m / t) for m, t in zip(matches, totals)) / max_n",
                "log_precision = sum(math.log(m / t) for m, t in zip(matches, totals))",
            ),
        ),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="bleu_brevity_floor_division",
        question="q10",
        description="brevity ratio computed with integer division r // c: BP = 1 whenever c < r < 2c",
        kind="tolerance",
        target="corpus_bleu",
        edits=(("math.exp(1.0 - r / c)", "math.exp(1.0 - r // c)"),),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="bleu_zero_check_unigrams_only",
        question="q10",
        description="only the unigram precision is checked for zero: a zero higher-order precision (or no n-grams of that order) raises instead of giving BLEU 0",
        kind="tolerance",
        target="corpus_bleu",
        edits=(("if min(matches) == 0:", "if matches[0] == 0:"),),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q11
    Mutant(
        name="translator_val_exact_teacher_forced",
        question="q11",
        description="validation predictions taken from the teacher-forced forward pass (argmax given the true previous digits) instead of translate / greedy decoding",
        kind="formula",
        target="_val_pred = translate(",
        edits=(
            (
                '_val_pred = translate([" ".join(src) for src, _ in translator_val])',
                "_src, _lengths, _tgt_in, _ = translator_batch(translator_val)\n"
                "translator.eval()\n"
                "with torch.no_grad():\n"
                "    _forced = translator(_src, _lengths, _tgt_in).argmax(dim=2)\n"
                "_id_to_token = {i: t for t, i in translator_tgt_vocab.items()}\n"
                '_val_pred = ["".join(_id_to_token[i] for i in _forced[b, : len(t)].tolist()) for b, (_, t) in enumerate(translator_val)]',
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="translator_val_bleu_concatenated_corpus",
        question="q11",
        description="BLEU computed on one long reference and one long hypothesis (all numbers concatenated): n-grams span number boundaries",
        kind="formula",
        target="_val_pred = translate(",
        edits=(
            (
                "corpus_bleu([t for _, t in translator_val], [list(p) for p in _val_pred])",
                "corpus_bleu([[d for _, t in translator_val for d in t]], [[d for p in _val_pred for d in p]])",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="translator_val_sorted_predictions_not_restored",
        question="q11",
        description="sources sorted by length before translate (less padding) but predictions are compared with the targets in the original order",
        kind="formula",
        target="_val_pred = translate(",
        edits=(
            (
                '_val_pred = translate([" ".join(src) for src, _ in translator_val])',
                '_val_pred = translate(sorted((" ".join(src) for src, _ in translator_val), key=len))',
            ),
        ),
        rerun=(),
    ),
]
