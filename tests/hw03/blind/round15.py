"""Blind round 15 for hw03 (issue #26): written by a helper who read only the task text, the reference solution and the names of rounds 1-14 (tests/mutation/blind_kit.py), never the tests; asked for mistakes in the answers, not in the ready-made cells; graded against the tests of bc8dde9."""

from mutation.harness import Mutant

CLS_TRAIN = "cls_model = ClozeClassifier("
NER_TRAIN = "ner_model = NerTagger("
NER_METRIC = "ner_val_f1 = span_f1"
TR_TRAIN = "translator = Seq2Seq("
TR_METRIC = "_val_pred = translate("

MUTANTS = [
    # ------------------------------------------------------------------ q1
    Mutant(
        name="vocab_counts_runs_not_occurrences",
        question="q1",
        description="tokens counted with itertools.groupby on the unsorted text: a run of equal consecutive tokens counts once, not once per occurrence",
        kind="formula",
        target="build_vocab",
        edits=(
            (
                "    counts = Counter(token for tokens in token_lists for token in tokens)\n",
                "    from itertools import groupby\n"
                "\n"
                "    counts = Counter()\n"
                "    for tokens in token_lists:\n"
                "        for token, _ in groupby(tokens):\n"
                "            counts[token] += 1\n",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="vocab_corpus_special_keeps_corpus_position",
        question="q1",
        description="dedup done the other way round: a special that also occurs in the corpus is dropped from the front and gets its frequency rank, so the specials lose their ids",
        kind="formula",
        target="build_vocab",
        edits=(
            (
                "    vocab = {token: i for i, token in enumerate(specials)}\n"
                "    kept = [t for t, c in counts.items() if c >= min_freq and t not in vocab]\n"
                "    for token in sorted(kept, key=lambda t: (-counts[t], t)):\n"
                "        vocab[token] = len(vocab)\n"
                "    return vocab\n",
                "    kept = [t for t, c in counts.items() if c >= min_freq]\n"
                "    itos = [s for s in specials if s not in kept] + sorted(kept, key=lambda t: (-counts[t], t))\n"
                "    return {token: i for i, token in enumerate(itos)}\n",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="vocab_specials_ids_start_at_one",
        question="q1",
        description="Keras Tokenizer habit: ids start at 1 ('0 is reserved for padding'), so specials[i] gets id i + 1 and every corpus id is shifted",
        kind="formula",
        target="build_vocab",
        edits=(
            (
                "vocab = {token: i for i, token in enumerate(specials)}",
                "vocab = {token: i for i, token in enumerate(specials, start=1)}  # 0 reserved for padding",
            ),
            ("        vocab[token] = len(vocab)\n", "        vocab[token] = len(vocab) + 1\n"),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q2
    Mutant(
        name="pad_batch_equal_lengths_fast_path_long_mask",
        question="q2",
        description="'fast path' when all sequences have the same length returns torch.ones_like(ids) as mask: a torch.long mask instead of torch.bool (e.g. for a batch of one)",
        kind="formula",
        target="pad_batch",
        edits=(
            (
                "    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.long)\n",
                "    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.long)\n"
                "    if len(set(lengths.tolist())) == 1:  # fast path: nothing to pad\n"
                "        ids = torch.tensor([list(s) for s in sequences], dtype=torch.long)\n"
                "        return ids, lengths, torch.ones_like(ids)\n",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="pad_batch_reuses_cached_buffer",
        question="q2",
        description="'avoid reallocations': ids is a view of one buffer kept on the function and refilled on every call, so the next call overwrites ids returned earlier (translator_batch's src/tgt_in are clobbered by tgt_out)",
        kind="in_place",
        target="pad_batch",
        edits=(
            (
                "    ids = torch.full((len(sequences), int(lengths.max())), pad_id, dtype=torch.long)\n",
                "    rows, width = len(sequences), int(lengths.max())\n"
                '    buffer = getattr(pad_batch, "_buffer", None)  # reuse one allocation across calls\n'
                "    if buffer is None or buffer.shape[0] < rows or buffer.shape[1] < width:\n"
                "        old_rows, old_width = (0, 0) if buffer is None else tuple(buffer.shape)\n"
                "        buffer = torch.empty((max(rows, old_rows), max(width, old_width)), dtype=torch.long)\n"
                "        pad_batch._buffer = buffer\n"
                "    ids = buffer[:rows, :width]\n"
                "    ids.fill_(pad_id)\n",
            ),
        ),
        rerun=(TR_TRAIN, TR_METRIC),
    ),
    # ------------------------------------------------------------------ q3
    Mutant(
        name="embedding_matrix_returns_numpy_array",
        question="q3",
        description="matrix assembled in numpy (np.tile of the <unk> vector) and returned without torch.from_numpy: a numpy array instead of a torch.float32 tensor",
        kind="formula",
        target="embedding_matrix",
        edits=(
            (
                '    unk = torch.from_numpy(np.asarray(navec["<unk>"], dtype=np.float32))\n',
                '    unk = np.asarray(navec["<unk>"], dtype=np.float32)\n',
            ),
            (
                "    matrix = unk.repeat(len(vocab), 1)\n",
                "    matrix = np.tile(unk, (len(vocab), 1))\n",
            ),
            (
                "            matrix[i] = torch.from_numpy(np.asarray(navec[token], dtype=np.float32))\n",
                "            matrix[i] = navec[token]\n",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="embedding_matrix_mean_centered",
        question="q3",
        description="'centre the embedding space': the mean row is subtracted from every row before <pad> is zeroed, so known rows are no longer navec[token] and OOV rows no longer navec['<unk>']",
        kind="formula",
        target="embedding_matrix",
        edits=(
            (
                "    matrix[vocab[PAD]] = 0.0\n",
                "    matrix = matrix - matrix.mean(dim=0, keepdim=True)  # centre the embedding space\n"
                "    matrix[vocab[PAD]] = 0.0\n",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    # ------------------------------------------------------------------ q4
    Mutant(
        name="cloze_valid_conv_mask_truncated",
        question="q4",
        description="convolution without padding ('valid'), mask simply cut to the T-2 output positions: windows reaching into <pad> are kept for shorter texts, so extra <pad> change the logits (and T < 3 fails)",
        kind="formula",
        target="ClozeClassifier",
        edits=(
            (
                "nn.Conv1d(embeddings.shape[1], 256, kernel_size=3, padding=1)",
                "nn.Conv1d(embeddings.shape[1], 256, kernel_size=3)",
            ),
            (
                "peak = conv.masked_fill(~mask[..., None], 0.0).max(dim=1).values",
                "peak = conv.masked_fill(~mask[:, : conv.shape[1], None], 0.0).max(dim=1).values",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    Mutant(
        name="cloze_running_feature_mean_updated_in_eval",
        question="q4",
        description="hand-made feature centring: a running mean buffer of the pooled features is updated on every forward, also in eval mode, so logits depend on earlier calls and on the other texts of the batch",
        kind="mode",
        target="ClozeClassifier",
        edits=(
            (
                "        self.head = nn.Sequential(nn.Dropout(0.3), nn.Linear(256 + embeddings.shape[1], n_classes))\n",
                "        self.head = nn.Sequential(nn.Dropout(0.3), nn.Linear(256 + embeddings.shape[1], n_classes))\n"
                '        self.register_buffer("feature_mean", torch.zeros(256 + embeddings.shape[1]))\n',
            ),
            (
                "        return self.head(torch.cat([peak, mean], dim=1))",
                "        features = torch.cat([peak, mean], dim=1)\n"
                "        # running centre of the features, updated on every batch\n"
                "        self.feature_mean = 0.9 * self.feature_mean + 0.1 * features.detach().mean(dim=0)\n"
                "        return self.head(features - self.feature_mean)",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    Mutant(
        name="cloze_peak_masked_fill_in_place_on_relu_output",
        question="q4",
        description="padding zeroed with masked_fill_ on the (transposed view of the) ReLU output to save memory: ReLU needs its output for backward, so loss.backward() fails",
        kind="graph",
        target="ClozeClassifier",
        edits=(
            ("conv.masked_fill(~mask[..., None], 0.0)", "conv.masked_fill_(~mask[..., None], 0.0)"),
        ),
        rerun=(CLS_TRAIN,),
    ),
    Mutant(
        name="cloze_conv_created_inside_forward",
        question="q4",
        description="the Conv1d is constructed inside forward: new random weights (from the global RNG) on every call, never trained, and eval predictions change from call to call",
        kind="graph",
        target="ClozeClassifier",
        edits=(
            (
                "        self.conv = nn.Conv1d(embeddings.shape[1], 256, kernel_size=3, padding=1)\n",
                "",
            ),
            (
                "conv = torch.relu(self.conv(vectors.transpose(1, 2))).transpose(1, 2)",
                "conv = torch.relu(nn.Conv1d(vectors.shape[2], 256, kernel_size=3, padding=1)(vectors.transpose(1, 2))).transpose(1, 2)",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    Mutant(
        name="cloze_positional_embedding_on_padding",
        question="q4",
        description="learned position embeddings added to the conv input at every position, padding included: the window at the last real token sees a non-zero <pad> input, so extra <pad> change the logits",
        kind="formula",
        target="ClozeClassifier",
        edits=(
            (
                "        self.conv = nn.Conv1d(embeddings.shape[1], 256, kernel_size=3, padding=1)\n",
                "        self.position = nn.Embedding(8192, embeddings.shape[1])\n"
                "        self.conv = nn.Conv1d(embeddings.shape[1], 256, kernel_size=3, padding=1)\n",
            ),
            (
                "        conv = torch.relu(self.conv(vectors.transpose(1, 2))).transpose(1, 2)\n",
                "        positions = self.position(torch.arange(ids.shape[1], device=ids.device))[None]\n"
                "        conv = torch.relu(self.conv((vectors + positions).transpose(1, 2))).transpose(1, 2)\n",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    Mutant(
        name="cloze_mask_rebuilt_right_aligned",
        question="q4",
        description="forward rebuilds the mask from lengths assuming left padding (arange >= T - lengths): shorter texts are read from the padded tail and lose their first tokens",
        kind="formula",
        target="ClozeClassifier",
        edits=(
            (
                "        known = mask & (ids != 1)",
                "        mask = torch.arange(ids.shape[1])[None, :] >= (ids.shape[1] - lengths)[:, None]  # padding on the left\n"
                "        known = mask & (ids != 1)",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    # ------------------------------------------------------------------ q5
    Mutant(
        name="bio_entity_at_position_zero_falsy_start",
        question="q5",
        description="'is an entity open' tested with `if start:`: an entity starting at position 0 (start == 0 is falsy) is never closed or emitted and its type stays open",
        kind="tolerance",
        target="bio_to_spans",
        edits=(("        if kind is not None:\n", "        if start:\n"),),
        rerun=(NER_METRIC,),
    ),
    Mutant(
        name="bio_empty_tags_returns_none",
        question="q5",
        description="early exit for an empty tag sequence with a bare return: bio_to_spans([]) is None instead of [] (span_f1 then fails on a corpus with an empty sentence)",
        kind="tolerance",
        target="bio_to_spans",
        edits=(
            (
                "    spans = []\n",
                "    if len(tags) == 0:\n        return  # nothing to do\n    spans = []\n",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="bio_span_stores_length_not_end",
        question="q5",
        description="span stored as (type, start, length) instead of (type, start, end) with an exclusive end",
        kind="formula",
        target="bio_to_spans",
        edits=(
            (
                "            spans.append((kind, start, i))\n",
                "            spans.append((kind, start, i - start))\n",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="span_f1_false_positives_all_predictions",
        question="q5",
        description="tp/fp slip: false positives counted as all predicted entities, so precision = tp / (tp + |pred|) instead of tp / |pred|",
        kind="formula",
        target="span_f1",
        edits=(
            (
                "    precision = hits / len(pred) if pred else 0.0\n",
                "    precision = hits / (hits + len(pred)) if pred else 0.0\n",
            ),
        ),
        rerun=(NER_METRIC,),
    ),
    Mutant(
        name="span_f1_sentence_index_offset_by_one",
        question="q5",
        description="predicted sentences enumerated from 1 (enumerate(pred_tags, 1)) while true ones start at 0: predicted entities are compared with the previous sentence's entities",
        kind="formula",
        target="span_f1",
        edits=(("for s, tags in enumerate(pred_tags)", "for s, tags in enumerate(pred_tags, 1)"),),
        rerun=(NER_METRIC,),
    ),
    Mutant(
        name="span_f1_matches_ignore_positions",
        question="q5",
        description="hits counted per sentence and entity type (Counter intersection of types): a predicted entity of the right type counts as correct whatever its start and end",
        kind="formula",
        target="span_f1",
        edits=(
            (
                "    hits = len(true & pred)\n",
                "    hits = sum((Counter((s, kind) for s, kind, *_ in true) & Counter((s, kind) for s, kind, *_ in pred)).values())\n",
            ),
        ),
        rerun=(NER_METRIC,),
    ),
    # ------------------------------------------------------------------ q6
    Mutant(
        name="ner_lstm_output_detached",
        question="q6",
        description="BiLSTM output detached before the output layer: only the Linear is trained, the LSTM, word embeddings and character CNN keep their random weights",
        kind="graph",
        target="NerTagger",
        edits=(("        return self.out(out)", "        return self.out(out.detach())"),),
        rerun=(NER_TRAIN, NER_METRIC),
    ),
    Mutant(
        name="ner_bilstm_manual_backward_on_flipped_padding",
        question="q6",
        description="hand-made BiLSTM: forward LSTM packed, backward LSTM run on x.flip(1) of the padded batch, so for shorter sentences it reads the padding first and tags depend on padding",
        kind="formula",
        target="NerTagger",
        edits=(
            (
                "        self.lstm = nn.LSTM(64 + 48, 64, batch_first=True, bidirectional=True)\n",
                "        self.lstm = nn.LSTM(64 + 48, 64, batch_first=True)\n"
                "        self.lstm_back = nn.LSTM(64 + 48, 64, batch_first=True)\n",
            ),
            (
                "        out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=T)\n"
                "        return self.out(out)",
                "        out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=T)\n"
                "        back, _ = self.lstm_back(x.flip(1))  # backward direction: read the sentence reversed\n"
                "        out = torch.cat([out, back.flip(1)], dim=2)\n"
                "        return self.out(out)",
            ),
        ),
        rerun=(NER_TRAIN, NER_METRIC),
    ),
    Mutant(
        name="ner_char_position_from_end_uses_padded_width",
        question="q6",
        description="'endings matter': a character position-from-the-end embedding is added, but positions are counted from the padded width C, not the word length, so a word's features depend on the longest word in the batch",
        kind="formula",
        target="NerTagger",
        edits=(
            (
                "        self.chars = nn.Embedding(n_chars, 24, padding_idx=0)\n",
                "        self.chars = nn.Embedding(n_chars, 24, padding_idx=0)\n"
                "        self.char_from_end = nn.Embedding(64, 24)  # position of a character counted from the word end\n",
            ),
            (
                "        chars = self.chars(char_ids.reshape(B * T, C)).transpose(1, 2)\n",
                "        from_end = torch.arange(C - 1, -1, -1, device=char_ids.device).clamp(max=63)\n"
                "        chars = (self.chars(char_ids.reshape(B * T, C)) + self.char_from_end(from_end)[None]).transpose(1, 2)\n",
            ),
        ),
        rerun=(NER_TRAIN, NER_METRIC),
    ),
    Mutant(
        name="ner_val_f1_oov_tokens_replaced_by_unk_string",
        question="q6",
        description="validation words missing from ner_word_vocab are replaced by the string '<unk>' before tag_sentences: the character CNN sees '<unk>' instead of the new names and cities",
        kind="outcome",
        target=NER_METRIC,
        edits=(
            (
                "tag_sentences([tokens for tokens, _ in ner_val])",
                "tag_sentences([[t if t in ner_word_vocab else UNK for t in tokens] for tokens, _ in ner_val])",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="ner_val_f1_regenerated_without_validation_flag",
        question="q6",
        description="validation sentences regenerated with make_ner_sentences(300, seed=2) without validation=True: they use training names and cities instead of ner_val",
        kind="outcome",
        target=NER_METRIC,
        edits=(
            (
                "ner_val_f1 = span_f1([tags for _, tags in ner_val], tag_sentences([tokens for tokens, _ in ner_val]))[2]",
                "_val_sentences = make_ner_sentences(300, seed=2)\n"
                "ner_val_f1 = span_f1([tags for _, tags in _val_sentences], tag_sentences([tokens for tokens, _ in _val_sentences]))[2]",
            ),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q7
    Mutant(
        name="attention_context_from_unnormalised_exponentials",
        question="q7",
        description="hand-written softmax: the returned weights are normalised, but the context is built from the unnormalised exponentials (wrong variable), so it is scaled by sum(exp)",
        kind="formula",
        target="attention",
        edits=(
            (
                "    weights = torch.softmax(scores, dim=1)\n"
                "    context = torch.bmm(weights.unsqueeze(1), values).squeeze(1)\n",
                "    exps = torch.exp(scores - scores.max(dim=1, keepdim=True).values)\n"
                "    weights = exps / exps.sum(dim=1, keepdim=True)\n"
                "    context = torch.bmm(exps.unsqueeze(1), values).squeeze(1)\n",
            ),
        ),
        rerun=(TR_TRAIN, TR_METRIC),
    ),
    Mutant(
        name="attention_masked_fill_result_discarded",
        question="q7",
        description="scores.masked_fill(~mask, -inf) called as if it were in place and its result discarded: padding is never masked and gets softmax weight",
        kind="formula",
        target="attention",
        edits=(
            (
                '    scores = scores.masked_fill(~mask, float("-inf"))\n',
                '    scores.masked_fill(~mask, float("-inf"))\n',
            ),
        ),
        rerun=(TR_TRAIN, TR_METRIC),
    ),
    Mutant(
        name="attention_mask_fill_with_min_score",
        question="q7",
        description="padded scores filled with the smallest score of the batch ('lowest possible value') instead of -inf: padding weights are small but not exactly 0",
        kind="tolerance",
        target="attention",
        edits=(
            (
                'scores.masked_fill(~mask, float("-inf"))',
                "scores.masked_fill(~mask, scores.min().item())",
            ),
        ),
        rerun=(TR_TRAIN, TR_METRIC),
    ),
    # ------------------------------------------------------------------ q8
    Mutant(
        name="seq2seq_manual_sort_h_not_unsorted",
        question="q8",
        description="batch sorted by length by hand for pack_padded_sequence; enc_out is put back in the original order but h_n is not, so decoder initial states belong to other sentences",
        kind="formula",
        target="Seq2Seq",
        edits=(
            (
                "        packed = nn.utils.rnn.pack_padded_sequence(\n"
                "            self.src_emb(src), src_lengths.cpu(), batch_first=True, enforce_sorted=False\n"
                "        )\n",
                "        order = torch.argsort(src_lengths, descending=True)  # pack needs decreasing lengths\n"
                "        packed = nn.utils.rnn.pack_padded_sequence(\n"
                "            self.src_emb(src[order]), src_lengths[order].cpu(), batch_first=True\n"
                "        )\n",
            ),
            (
                "            out, batch_first=True, total_length=src.shape[1]\n        )\n",
                "            out, batch_first=True, total_length=src.shape[1]\n"
                "        )\n"
                "        enc_out = enc_out[torch.argsort(order)]  # back to the original order\n",
            ),
        ),
        rerun=(TR_TRAIN, TR_METRIC),
    ),
    Mutant(
        name="seq2seq_loss_returns_perplexity",
        question="q8",
        description="seq2seq_loss returns the perplexity exp(cross-entropy) instead of the mean cross-entropy over real tokens",
        kind="formula",
        target="seq2seq_loss",
        edits=(("ignore_index=pad_id\n    )", "ignore_index=pad_id\n    ).exp()  # perplexity"),),
        rerun=(TR_TRAIN, TR_METRIC),
    ),
    Mutant(
        name="seq2seq_loss_cross_entropy_of_softmax",
        question="q8",
        description="softmax applied to the logits before F.cross_entropy (which applies log_softmax itself): the loss is computed on probabilities, not on logits",
        kind="formula",
        target="seq2seq_loss",
        edits=(
            (
                "logits.reshape(-1, logits.shape[-1]), targets.reshape(-1)",
                "logits.reshape(-1, logits.shape[-1]).softmax(dim=-1), targets.reshape(-1)",
            ),
        ),
        rerun=(TR_TRAIN, TR_METRIC),
    ),
    Mutant(
        name="seq2seq_teacher_forcing_coin_flip_ratio_one",
        question="q8",
        description="tutorial teacher forcing kept with teacher_forcing_ratio = 1.0: the output is teacher-forced, but every step draws torch.rand from the global generator, so forward changes the global RNG state",
        kind="loop",
        target="Seq2Seq",
        edits=(
            (
                "            logits, h = self.decode_step(tgt_in[:, t], h, enc_out, mask)\n",
                "            teacher = torch.rand(1).item() < 1.0  # teacher_forcing_ratio = 1.0\n"
                "            y_prev = tgt_in[:, t] if teacher or not steps else steps[-1].argmax(dim=1)\n"
                "            logits, h = self.decode_step(y_prev, h, enc_out, mask)\n",
            ),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q9
    Mutant(
        name="greedy_sets_training_attribute_not_eval",
        question="q9",
        description="model.training = False set instead of calling model.eval(): only the top module's flag changes, submodules (dropout etc.) stay in training mode",
        kind="mode",
        target="greedy_decode",
        edits=(("    model.eval()\n", "    model.training = False  # inference mode\n"),),
        rerun=(),
    ),
    Mutant(
        name="greedy_done_flags_overwritten_each_step",
        question="q9",
        description="done = (y == eos_id) instead of done |= ...: a row that already emitted <eos> is 'unfinished' again at the next step and keeps collecting tokens; the loop only stops when all rows emit <eos> at the same step",
        kind="formula",
        target="greedy_decode",
        edits=(("            done |= y == eos_id\n", "            done = y == eos_id\n"),),
        rerun=(TR_METRIC,),
    ),
    Mutant(
        name="greedy_no_repeat_previous_token",
        question="q9",
        description="'avoid degenerate repetition': the previous token's logit is set to -inf before the argmax, so repeated digits (100, 11) can never be produced and the highest-logit token is not always taken",
        kind="formula",
        target="greedy_decode",
        edits=(
            (
                "            y = logits.argmax(dim=1)\n",
                '            y = logits.scatter(1, y[:, None], float("-inf")).argmax(dim=1)  # never repeat the previous token\n',
            ),
        ),
        rerun=(TR_METRIC,),
    ),
    Mutant(
        name="greedy_random_tiebreak_noise",
        question="q9",
        description="tiny torch.rand_like noise added to the logits 'to break ties at random': draws from the global torch generator on every step and can flip near-tied argmaxes",
        kind="loop",
        target="greedy_decode",
        edits=(
            (
                "            y = logits.argmax(dim=1)\n",
                "            y = (logits + 1e-6 * torch.rand_like(logits)).argmax(dim=1)  # break ties at random\n",
            ),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q10
    Mutant(
        name="bleu_log_precision_inverted",
        question="q10",
        description="log precision written as log(total / matches) (fraction upside down): BLEU is BP divided by the geometric mean of the precisions and exceeds 1",
        kind="formula",
        target="corpus_bleu",
        edits=(("math.log(m / t)", "math.log(t / m)"),),
        rerun=(TR_METRIC,),
    ),
    Mutant(
        name="bleu_positional_ngram_matches",
        question="q10",
        description="n-gram matches counted position by position (hypothesis n-gram i equals reference n-gram i) instead of as clipped bag-of-n-gram counts: one inserted or missing token kills all later matches",
        kind="formula",
        target="corpus_bleu",
        edits=(
            (
                "            matches[n - 1] += sum(min(c, ref_ngrams[g]) for g, c in hyp_ngrams.items())\n",
                "            matches[n - 1] += sum(\n"
                "                tuple(hyp[i : i + n]) == tuple(ref[i : i + n]) for i in range(min(len(hyp), len(ref)) - n + 1)\n"
                "            )\n",
            ),
        ),
        rerun=(TR_METRIC,),
    ),
    Mutant(
        name="bleu_root_precedence_slip",
        question="q10",
        description="geometric mean written as prod(p) ** 1 / max_n without parentheses: ** binds first, so BLEU is BP * product / max_n instead of the max_n-th root",
        kind="formula",
        target="corpus_bleu",
        edits=(
            (
                "    log_precision = sum(math.log(m / t) for m, t in zip(matches, totals)) / max_n\n",
                "    precision_product = math.prod(m / t for m, t in zip(matches, totals))\n",
            ),
            (
                "    return brevity * math.exp(log_precision)\n",
                "    return brevity * precision_product ** 1 / max_n  # max_n-th root of the product\n",
            ),
        ),
        rerun=(TR_METRIC,),
    ),
    # ------------------------------------------------------------------ q11
    Mutant(
        name="translator_val_metrics_swapped",
        question="q11",
        description="hurried copy: the exact-match share is stored in translator_val_bleu and the corpus BLEU in translator_val_exact",
        kind="outcome",
        target=TR_METRIC,
        edits=(
            ("translator_val_exact = float(", "translator_val_bleu = float("),
            ("translator_val_bleu = corpus_bleu(", "translator_val_exact = corpus_bleu("),
        ),
        rerun=(),
    ),
    Mutant(
        name="translator_val_sources_regenerated_in_english",
        question="q11",
        description="validation sources regenerated from the target numbers with num2words(n) without lang='ru': translate gets English words (all unknown) instead of the Russian sources of translator_val",
        kind="outcome",
        target=TR_METRIC,
        edits=(
            (
                '_val_pred = translate([" ".join(src) for src, _ in translator_val])',
                '_val_pred = translate([num2words(int("".join(tgt))) for _, tgt in translator_val])',
            ),
        ),
        rerun=(),
    ),
]
