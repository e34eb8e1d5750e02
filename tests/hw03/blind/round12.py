"""Blind round 12 for hw03 (issue #26): written by a helper who read only the task text, the reference solution and the names of rounds 1-11 (tests/mutation/blind_kit.py), never the tests; asked for mistakes in the answers, not in the ready-made cells; graded against the tests of 87e4632."""

from mutation.harness import Mutant

CLS_TRAIN = ("cls_embeddings = embedding_matrix(cls_vocab, navec)", "cls_model = ClozeClassifier(")
CLS_RETRAIN = ("cls_model = ClozeClassifier(",)
NER_VAL = ("ner_val_f1 = span_f1(",)
NER_RETRAIN = ("ner_model = NerTagger(", "ner_val_f1 = span_f1(")
TRANSLATOR_RETRAIN = ("translator = Seq2Seq(", "_val_pred = translate(")
TRANSLATOR_VAL = ("_val_pred = translate(",)

MUTANTS = [
    # ------------------------------------------------------------------ q1
    Mutant(
        name="vocab_min_freq_checked_per_text",
        question="q1",
        description="min_freq threshold checked inside each text (a token is kept only if one single text has it min_freq times) instead of on the total count over all texts",
        kind="formula",
        target="build_vocab",
        edits=(
            (
                "    kept = [t for t, c in counts.items() if c >= min_freq and t not in vocab]",
                "    kept = {t for tokens in token_lists for t, c in Counter(tokens).items() if c >= min_freq and t not in vocab}",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="vocab_break_on_special_token",
        question="q1",
        description="break instead of continue when a sorted corpus token is already a special: every less frequent token after a corpus '<unk>'/'<pad>' is dropped",
        kind="tolerance",
        target="build_vocab",
        edits=(
            (
                "    kept = [t for t, c in counts.items() if c >= min_freq and t not in vocab]\n"
                "    for token in sorted(kept, key=lambda t: (-counts[t], t)):\n"
                "        vocab[token] = len(vocab)",
                "    kept = [t for t, c in counts.items() if c >= min_freq]\n"
                "    for token in sorted(kept, key=lambda t: (-counts[t], t)):\n"
                "        if token in vocab:\n"
                "            break\n"
                "        vocab[token] = len(vocab)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="vocab_strips_specials_from_callers_texts",
        question="q1",
        description="special-token strings are removed from the caller's texts in place (tokens[:] = ...) before counting: texts containing '<unk>' etc. are changed",
        kind="in_place",
        target="build_vocab",
        edits=(
            (
                "    counts = Counter(token for tokens in token_lists for token in tokens)",
                "    for tokens in token_lists:\n"
                "        tokens[:] = [t for t in tokens if t not in specials]\n"
                "    counts = Counter(token for tokens in token_lists for token in tokens)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="vocab_empty_corpus_without_specials",
        question="q1",
        description="guard 'nothing to build': an empty corpus (or only empty texts) returns {} instead of a vocabulary holding the specials",
        kind="tolerance",
        target="build_vocab",
        edits=(
            (
                "    counts = Counter(token for tokens in token_lists for token in tokens)",
                "    if not any(token_lists):\n"
                "        return {}\n"
                "    counts = Counter(token for tokens in token_lists for token in tokens)",
            ),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q2
    Mutant(
        name="encode_memoised_ignoring_vocab",
        question="q2",
        description="encode memoised 'for speed' on (tokens, add_bos, add_eos) without the vocabulary: the same tokens encoded with another vocab return the ids of the first vocab",
        kind="formula",
        target="encode",
        edits=(
            (
                "    unk = vocab[UNK]\n    ids = [vocab.get(token, unk) for token in tokens]",
                '    cache = encode.__dict__.setdefault("cache", {})\n'
                "    key = (tuple(tokens), add_bos, add_eos)\n"
                "    if key in cache:\n"
                "        return list(cache[key])\n"
                "    unk = vocab[UNK]\n    ids = [vocab.get(token, unk) for token in tokens]",
            ),
            (
                "    return ids\n",
                "    cache[key] = ids\n    return list(ids)\n",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="encode_special_strings_in_text_to_unk",
        question="q2",
        description="tokens equal to a special string ('<pad>', '<bos>', ...) in the text are 'sanitised' to <unk> instead of getting their vocabulary id",
        kind="tolerance",
        target="encode",
        edits=(
            (
                "    ids = [vocab.get(token, unk) for token in tokens]",
                "    ids = [unk if token in SPECIALS else vocab.get(token, unk) for token in tokens]",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="pad_batch_min_width_one",
        question="q2",
        description="width guarded with max(1, longest) 'to avoid empty tensors': a batch of empty sequences gives ids/mask of shape (B, 1) instead of (B, 0)",
        kind="tolerance",
        target="pad_batch",
        edits=(
            (
                "    ids = torch.full((len(sequences), int(lengths.max())), pad_id, dtype=torch.long)",
                "    ids = torch.full((len(sequences), max(1, int(lengths.max()))), pad_id, dtype=torch.long)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="pad_batch_width_rounded_to_multiple_of_8",
        question="q2",
        description="pad_to_multiple_of=8 habit: T rounded up to a multiple of 8 instead of the longest length (extra all-pad columns)",
        kind="formula",
        target="pad_batch",
        edits=(
            (
                "    ids = torch.full((len(sequences), int(lengths.max())), pad_id, dtype=torch.long)",
                "    ids = torch.full((len(sequences), -(-int(lengths.max()) // 8) * 8), pad_id, dtype=torch.long)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="pad_batch_replaces_zero_ids_with_pad_id",
        question="q2",
        description="ids built with torch.zeros and then every 0 replaced by pad_id: with pad_id != 0 a real token of id 0 becomes pad_id",
        kind="tolerance",
        target="pad_batch",
        edits=(
            (
                "    ids = torch.full((len(sequences), int(lengths.max())), pad_id, dtype=torch.long)",
                "    ids = torch.zeros((len(sequences), int(lengths.max())), dtype=torch.long)",
            ),
            (
                "    mask = torch.arange(ids.shape[1])[None, :] < lengths[:, None]",
                "    ids[ids == 0] = pad_id\n    mask = torch.arange(ids.shape[1])[None, :] < lengths[:, None]",
            ),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q3
    Mutant(
        name="embedding_matrix_returns_parameter",
        question="q3",
        description="embedding_matrix returns nn.Parameter(matrix) ('ready for fine-tuning'): the result requires grad and is a Parameter, not a plain float tensor",
        kind="graph",
        target="embedding_matrix",
        edits=(("    return matrix\n", "    return nn.Parameter(matrix)\n"),),
        rerun=(),
    ),
    Mutant(
        name="embedding_known_vectors_via_float16",
        question="q3",
        description="navec vectors converted with dtype=np.float16 'to save memory' before being written into the float32 matrix: known rows are rounded to half precision",
        kind="tolerance",
        target="embedding_matrix",
        edits=(
            (
                "np.asarray(navec[token], dtype=np.float32)",
                "np.asarray(navec[token], dtype=np.float16)",
            ),
        ),
        rerun=CLS_TRAIN,
    ),
    Mutant(
        name="embedding_matrix_cached_by_vocab_size",
        question="q3",
        description="embedding_matrix memoised by len(vocab) ('navec lookups are slow'): a second vocabulary of the same size gets the first vocabulary's matrix",
        kind="formula",
        target="embedding_matrix",
        edits=(
            (
                "    unk = torch.from_numpy(",
                '    cache = embedding_matrix.__dict__.setdefault("cache", {})\n'
                "    if len(vocab) in cache:\n"
                "        return cache[len(vocab)]\n"
                "    unk = torch.from_numpy(",
            ),
            ("    return matrix\n", "    cache[len(vocab)] = matrix\n    return matrix\n"),
        ),
        rerun=(),
    ),
    Mutant(
        name="cls_vocab_drops_number_tokens",
        question="q3",
        description="number tokens (t.isdigit()) removed from the training texts before build_vocab 'as noise': cls_vocab differs from build_vocab on the training tokens and numbers become <unk>",
        kind="outcome",
        target="cls_vocab = build_vocab(",
        edits=(
            (
                "build_vocab([tokenize(text) for text, _ in cls_train], min_freq=1)",
                "build_vocab([[t for t in tokenize(text) if not t.isdigit()] for text, _ in cls_train], min_freq=1)",
            ),
        ),
        rerun=CLS_RETRAIN,
    ),
    # ------------------------------------------------------------------ q4
    Mutant(
        name="cloze_conv_input_reshaped_not_transposed",
        question="q4",
        description="conv input made channels-first with reshape(B, D, T) instead of transpose(1, 2): features are scrambled across positions and extra <pad> change the logits",
        kind="formula",
        target="ClozeClassifier",
        edits=(
            (
                "self.conv(vectors.transpose(1, 2))",
                "self.conv(vectors.reshape(vectors.shape[0], vectors.shape[2], vectors.shape[1]))",
            ),
        ),
        rerun=CLS_RETRAIN,
    ),
    Mutant(
        name="cloze_dropout_after_output_layer",
        question="q4",
        description="Dropout placed after the output Linear in the head: in training the logits themselves are dropped (and scaled) instead of the features",
        kind="outcome",
        target="ClozeClassifier",
        edits=(
            (
                "nn.Sequential(nn.Dropout(0.3), nn.Linear(256 + embeddings.shape[1], n_classes))",
                "nn.Sequential(nn.Linear(256 + embeddings.shape[1], n_classes), nn.Dropout(0.3))",
            ),
        ),
        rerun=CLS_RETRAIN,
    ),
    # ------------------------------------------------------------------ q5
    Mutant(
        name="span_f1_returns_f1_first",
        question="q5",
        description="span_f1 returns (f1, precision, recall) instead of (precision, recall, f1); ner_val_f1 = span_f1(...)[2] then holds the recall",
        kind="formula",
        target="span_f1",
        edits=(("    return precision, recall, f1", "    return f1, precision, recall"),),
        rerun=NER_VAL,
    ),
    Mutant(
        name="span_f1_returns_list",
        question="q5",
        description="span_f1 returns a list [precision, recall, f1] instead of the required tuple",
        kind="formula",
        target="span_f1",
        edits=(("    return precision, recall, f1", "    return [precision, recall, f1]"),),
        rerun=(),
    ),
    Mutant(
        name="bio_orphan_i_keeps_stale_start",
        question="q5",
        description="an I-X that starts a new entity sets the type but not the start: it reuses the previous entity's start (None at the beginning of the sentence)",
        kind="formula",
        target="bio_to_spans",
        edits=(
            (
                '        if prefix in ("B", "I"):\n            kind, start = label, i',
                '        if prefix == "B":\n            kind, start = label, i\n'
                '        elif prefix == "I":\n            kind = label',
            ),
        ),
        rerun=NER_VAL,
    ),
    Mutant(
        name="span_f1_false_negatives_copy_paste",
        question="q5",
        description="tp/fp/fn counting with a copy-paste slip: false negatives counted as len(pred - true), so recall equals precision",
        kind="formula",
        target="span_f1",
        edits=(
            (
                "    precision = hits / len(pred) if pred else 0.0\n"
                "    recall = hits / len(true) if true else 0.0",
                "    false_pos = len(pred - true)\n"
                "    false_neg = len(pred - true)\n"
                "    precision = hits / (hits + false_pos) if hits + false_pos else 0.0\n"
                "    recall = hits / (hits + false_neg) if hits + false_neg else 0.0",
            ),
        ),
        rerun=NER_VAL,
    ),
    # ------------------------------------------------------------------ q6
    Mutant(
        name="ner_word_ids_padding_zeroed_in_place",
        question="q6",
        description="forward 'makes sure padding is <pad>' with word_ids.masked_fill_(~mask, 0): the caller's word_ids tensor is overwritten where the mask is False",
        kind="in_place",
        target="NerTagger",
        edits=(
            (
                "        B, T, C = char_ids.shape",
                "        word_ids.masked_fill_(~mask, 0)\n        B, T, C = char_ids.shape",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="ner_packing_only_in_training",
        question="q6",
        description="packing treated as a training speed-up: in eval mode the BiLSTM runs on the padded batch, so padding enters the backward direction and tags depend on the batch",
        kind="mode",
        target="NerTagger",
        edits=(
            (
                "        lengths = mask.sum(dim=1).clamp(min=1).cpu()\n"
                "        packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)\n"
                "        out, _ = self.lstm(packed)\n"
                "        out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=T)",
                "        if self.training:\n"
                "            lengths = mask.sum(dim=1).clamp(min=1).cpu()\n"
                "            packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)\n"
                "            out, _ = self.lstm(packed)\n"
                "            out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=T)\n"
                "        else:\n"
                "            out, _ = self.lstm(x)",
            ),
        ),
        rerun=NER_VAL,
    ),
    Mutant(
        name="ner_val_f1_tags_on_joined_strings",
        question="q6",
        description="tag_sentences called on ' '.join(tokens) strings instead of token lists: every character is tagged as a word",
        kind="formula",
        target="ner_val_f1 = span_f1(",
        edits=(
            (
                "tag_sentences([tokens for tokens, _ in ner_val])",
                'tag_sentences([" ".join(tokens) for tokens, _ in ner_val])',
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="ner_val_f1_truth_replaced_by_predictions",
        question="q6",
        description="copy-paste slip: both arguments of span_f1 are the predicted tags of ner_val, so ner_val_f1 is 1.0 whatever the tagger does",
        kind="formula",
        target="ner_val_f1 = span_f1(",
        edits=(
            (
                "span_f1([tags for _, tags in ner_val], ",
                "span_f1(tag_sentences([tokens for tokens, _ in ner_val]), ",
            ),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q7
    Mutant(
        name="attention_masks_beyond_longest_row_only",
        question="q7",
        description="only positions beyond the longest row (mask.sum(1).max()) get -inf: padding inside shorter rows keeps a non-zero weight",
        kind="formula",
        target="attention",
        edits=(
            (
                '    scores = scores.masked_fill(~mask, float("-inf"))',
                "    longest = int(mask.sum(dim=1).max())\n"
                '    scores = scores.masked_fill(torch.arange(scores.shape[1]) >= longest, float("-inf"))',
            ),
        ),
        rerun=TRANSLATOR_RETRAIN,
    ),
    Mutant(
        name="attention_trims_all_padding_columns",
        question="q7",
        description="keys, values and mask cut to the longest row (mask.sum(1).max()) 'to skip pure padding': weights have shape (B, longest) instead of (B, T) when trailing columns are all padding",
        kind="tolerance",
        target="attention",
        edits=(
            (
                "    scores = torch.bmm(keys, query.unsqueeze(2)).squeeze(2)",
                "    longest = int(mask.sum(dim=1).max())\n"
                "    keys, values, mask = keys[:, :longest], values[:, :longest], mask[:, :longest]\n"
                "    scores = torch.bmm(keys, query.unsqueeze(2)).squeeze(2)",
            ),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q8
    Mutant(
        name="seq2seq_forward_returns_log_probs",
        question="q8",
        description="forward returns log_softmax of the stacked logits (NLLLoss tutorial habit) while decode_step returns raw logits: forward output is not the logits",
        kind="formula",
        target="Seq2Seq",
        edits=(
            (
                "        return torch.stack(steps, dim=1)",
                "        return torch.log_softmax(torch.stack(steps, dim=1), dim=-1)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="seq2seq_forward_initial_state_zeros",
        question="q8",
        description="forward discards the encoder state (enc_out, mask, _ = ...) and starts teacher forcing from zeros, while greedy decoding starts from encode's h",
        kind="formula",
        target="Seq2Seq",
        edits=(
            (
                "        enc_out, mask, h = self.encode(src, src_lengths)\n        steps = []",
                "        enc_out, mask, _ = self.encode(src, src_lengths)\n"
                "        h = torch.zeros(src.shape[0], self.cell.hidden_size)\n"
                "        steps = []",
            ),
        ),
        rerun=TRANSLATOR_RETRAIN,
    ),
    Mutant(
        name="seq2seq_forward_stops_at_all_pad_column",
        question="q8",
        description="teacher-forcing loop breaks at the first tgt_in column that is all <pad> ('nothing left to decode'): with extra padding columns forward returns fewer than L steps",
        kind="loop",
        target="Seq2Seq",
        edits=(
            (
                "        for t in range(tgt_in.shape[1]):\n",
                "        for t in range(tgt_in.shape[1]):\n"
                "            if (tgt_in[:, t] == 0).all():\n"
                "                break\n",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="seq2seq_loss_view_requires_contiguous",
        question="q8",
        description="logits and targets flattened with .view instead of .reshape: non-contiguous logits or targets (e.g. after a transpose) raise",
        kind="tolerance",
        target="seq2seq_loss",
        edits=(
            ("logits.reshape(-1, logits.shape[-1])", "logits.view(-1, logits.shape[-1])"),
            ("targets.reshape(-1)", "targets.view(-1)"),
        ),
        rerun=(),
    ),
    Mutant(
        name="seq2seq_loss_float32_cast",
        question="q8",
        description="logits cast with .float() before the cross-entropy (AMP habit): float64 logits give a float32, less accurate loss",
        kind="tolerance",
        target="seq2seq_loss",
        edits=(
            (
                "logits.reshape(-1, logits.shape[-1])",
                "logits.float().reshape(-1, logits.shape[-1])",
            ),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q9
    Mutant(
        name="greedy_drops_empty_outputs",
        question="q9",
        description="empty decoded sequences (<eos> as first token) are filtered out of the result: fewer than B lists and rows shift",
        kind="formula",
        target="greedy_decode",
        edits=(("    return outputs\n", "    return [o for o in outputs if o]\n"),),
        rerun=TRANSLATOR_VAL,
    ),
    Mutant(
        name="greedy_sorts_callers_batch_in_place",
        question="q9",
        description="batch sorted by length with src[:] = src[order] and src_lengths[:] = ... 'for packing': outputs are put back in order but the caller's src and src_lengths stay permuted",
        kind="in_place",
        target="greedy_decode",
        edits=(
            (
                "    model.eval()\n    with torch.no_grad():",
                "    model.eval()\n"
                "    order = torch.argsort(src_lengths, descending=True)\n"
                "    src[:] = src[order].clone()\n"
                "    src_lengths[:] = src_lengths[order].clone()\n"
                "    with torch.no_grad():",
            ),
            (
                "    return outputs\n",
                "    restored = [None] * len(outputs)\n"
                "    for pos, row in enumerate(order.tolist()):\n"
                "        restored[row] = outputs[pos]\n"
                "    return restored\n",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="greedy_forbids_eos_at_first_step",
        question="q9",
        description="min-length-1 heuristic ('a number has at least one digit'): the <eos> logit is set to -inf at the first step, so the argmax is not always taken",
        kind="formula",
        target="greedy_decode",
        edits=(
            ("        for _ in range(max_len):", "        for step in range(max_len):"),
            (
                "            y = logits.argmax(dim=1)",
                "            if step == 0:\n"
                "                logits = logits.clone()\n"
                '                logits[:, eos_id] = float("-inf")\n'
                "            y = logits.argmax(dim=1)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="greedy_batch_of_one_returns_flat_list",
        question="q9",
        description="a batch of one returns the flat list of ids instead of a list containing one list",
        kind="tolerance",
        target="greedy_decode",
        edits=(
            ("    return outputs\n", "    return outputs[0] if len(outputs) == 1 else outputs\n"),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q10
    Mutant(
        name="bleu_rounded_four_decimals",
        question="q10",
        description="corpus_bleu returns round(bleu, 4) (as printed by BLEU scripts) instead of the exact value",
        kind="tolerance",
        target="corpus_bleu",
        edits=(
            (
                "    return brevity * math.exp(log_precision)",
                "    return round(brevity * math.exp(log_precision), 4)",
            ),
        ),
        rerun=TRANSLATOR_VAL,
    ),
    Mutant(
        name="bleu_brevity_exponent_sign_flipped",
        question="q10",
        description="sign slip in the brevity penalty: exp(r/c - 1) instead of exp(1 - r/c), so short hypotheses get a bonus above 1",
        kind="formula",
        target="corpus_bleu",
        edits=(("math.exp(1.0 - r / c)", "math.exp(r / c - 1.0)"),),
        rerun=TRANSLATOR_VAL,
    ),
    Mutant(
        name="bleu_brevity_inside_geometric_mean",
        question="q10",
        description="log BP added to the sum of log precisions before dividing by max_n: the penalty enters as BP ** (1/max_n)",
        kind="formula",
        target="corpus_bleu",
        edits=(
            (
                "    return brevity * math.exp(log_precision)",
                "    return math.exp((math.log(brevity) + log_precision * max_n) / max_n)",
            ),
        ),
        rerun=TRANSLATOR_VAL,
    ),
    Mutant(
        name="bleu_ngrams_non_overlapping_chunks",
        question="q10",
        description="n-grams taken as non-overlapping chunks (range step n) instead of a sliding window: higher-order counts are wrong",
        kind="formula",
        target="corpus_bleu",
        edits=(
            ("range(len(hyp) - n + 1))", "range(0, len(hyp) - n + 1, n))"),
            ("range(len(ref) - n + 1))", "range(0, len(ref) - n + 1, n))"),
        ),
        rerun=TRANSLATOR_VAL,
    ),
    # ------------------------------------------------------------------ q11
    Mutant(
        name="translator_val_bleu_refs_space_joined_strings",
        question="q11",
        description="BLEU references given as ' '.join(digits) strings: spaces become reference tokens, so n-grams and the reference length are wrong",
        kind="formula",
        target="_val_pred = translate(",
        edits=(
            (
                "corpus_bleu([t for _, t in translator_val], ",
                'corpus_bleu([" ".join(t) for _, t in translator_val], ',
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="translator_val_sources_with_bos_eos_words",
        question="q11",
        description="validation sources wrapped as f'{BOS} ... {EOS}' text before translate 'like in training': tokenize turns them into unknown words 'bos'/'eos' around every source",
        kind="outcome",
        target="_val_pred = translate(",
        edits=(
            (
                'translate([" ".join(src) for src, _ in translator_val])',
                "translate([f\"{BOS} {' '.join(src)} {EOS}\" for src, _ in translator_val])",
            ),
        ),
        rerun=(),
    ),
]
