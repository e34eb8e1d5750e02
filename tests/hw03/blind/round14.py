"""Blind round 14 for hw03 (issue #26): written by a helper who read only the task text, the reference solution and the names of rounds 1-13 (tests/mutation/blind_kit.py), never the tests; asked for mistakes in the answers, not in the ready-made cells; graded against the tests of aadd241."""

from mutation.harness import Mutant

CLS_TRAIN = "cls_model = ClozeClassifier(cls_embeddings, len(CLOZE_WORDS))"
CLS_EMB = "cls_embeddings = embedding_matrix(cls_vocab, navec)"
NER_TRAIN = "ner_model = NerTagger(len(ner_word_vocab), len(ner_char_vocab), len(NER_TAGS))"
NER_F1 = "ner_val_f1 = span_f1("
TR_TRAIN = "translator = Seq2Seq(len(translator_src_vocab), len(translator_tgt_vocab))"
TR_VAL = "_val_pred = translate("

MUTANTS = [
    # ------------------------------------------------------------------ q1
    Mutant(
        name="vocab_cache_ignores_min_freq",
        question="q1",
        description="build_vocab memoised on (texts, specials) 'for speed' but not on min_freq: a second call on the same texts with another min_freq returns the first vocabulary",
        kind="formula",
        target="build_vocab",
        edits=(
            (
                "    counts = Counter(token for tokens in token_lists for token in tokens)\n",
                '    cache = build_vocab.__dict__.setdefault("_cache", {})\n'
                "    key = (tuple(tuple(tokens) for tokens in token_lists), tuple(specials))\n"
                "    if key in cache:\n"
                "        return dict(cache[key])\n"
                "    counts = Counter(token for tokens in token_lists for token in tokens)\n",
            ),
            ("    return vocab\n", "    cache[key] = dict(vocab)\n    return vocab\n"),
        ),
        rerun=(),
    ),
    Mutant(
        name="vocab_empty_specials_fall_back_to_default",
        question="q1",
        description="falsy guard specials = specials or SPECIALS: an empty specials list is replaced by the default four specials, so corpus ids do not start at 0",
        kind="formula",
        target="build_vocab",
        edits=(
            (
                "    vocab = {token: i for i, token in enumerate(specials)}\n",
                "    specials = specials or SPECIALS\n    vocab = {token: i for i, token in enumerate(specials)}\n",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="vocab_tokens_rejoined_and_split",
        question="q1",
        description="tokens counted after ' '.join(...).split() over all texts: a token containing whitespace is split into pieces and an empty-string token disappears from the counts",
        kind="formula",
        target="build_vocab",
        edits=(
            (
                "    counts = Counter(token for tokens in token_lists for token in tokens)\n",
                '    counts = Counter(" ".join(" ".join(tokens) for tokens in token_lists).split())\n',
            ),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q2
    Mutant(
        name="pad_batch_squeezes_single_row",
        question="q2",
        description="ids and mask passed through .squeeze() (left over from stacking (1, T) rows): a batch of one becomes shape (T,) and a batch of length-1 sequences becomes (B,)",
        kind="formula",
        target="pad_batch",
        edits=(
            (
                "    return ids, lengths, mask\n",
                "    return ids.squeeze(), lengths, mask.squeeze()\n",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="encode_id_from_key_position",
        question="q2",
        description="token id taken as its position in list(vocab) (keys.index(token)) instead of vocab[token]: wrong whenever the dict's insertion order differs from its ids",
        kind="formula",
        target="encode",
        edits=(
            (
                "    ids = [vocab.get(token, unk) for token in tokens]\n",
                "    keys = list(vocab)\n    ids = [keys.index(token) if token in vocab else unk for token in tokens]\n",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="pad_batch_skips_empty_sequences",
        question="q2",
        description="empty sequences are filtered out before padding ('nothing to pad'): the batch gets fewer rows than sequences and later rows shift up",
        kind="formula",
        target="pad_batch",
        edits=(
            (
                "    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.long)\n",
                "    sequences = [s for s in sequences if len(s) > 0]\n"
                "    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.long)\n",
            ),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q3
    Mutant(
        name="cls_vocab_from_200_char_prefixes",
        question="q3",
        description="classifier vocabulary built from tokenize(text[:200]) (slice copied from the preview print): words occurring only later in the training contexts are missing and become <unk>",
        kind="loop",
        target="cls_vocab = build_vocab(",
        edits=(
            (
                "tokenize(text) for text, _ in cls_train",
                "tokenize(text[:200]) for text, _ in cls_train",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    Mutant(
        name="embedding_known_vectors_stacked_into_first_rows",
        question="q3",
        description="vectorised fill: the navec vectors of the known tokens are stacked and written into rows 0..k-1 (matrix[:k]) instead of the rows of their ids, so rows and tokens are misaligned",
        kind="formula",
        target="embedding_matrix",
        edits=(
            (
                "    for token, i in vocab.items():\n"
                "        if token in navec and token not in SPECIALS:\n"
                "            matrix[i] = torch.from_numpy(np.asarray(navec[token], dtype=np.float32))\n",
                "    known = [token for token in vocab if token in navec and token not in SPECIALS]\n"
                "    if known:\n"
                "        vectors = np.stack([np.asarray(navec[token], dtype=np.float32) for token in known])\n"
                "        matrix[: len(known)] = torch.from_numpy(vectors)\n",
            ),
        ),
        rerun=(CLS_EMB, CLS_TRAIN),
    ),
    # ------------------------------------------------------------------ q4
    Mutant(
        name="cloze_bigru_final_state_without_packing",
        question="q4",
        description="CNN branch replaced by a BiGRU whose final states h_n are taken from the padded batch without pack_padded_sequence: the forward direction ends on <pad> vectors, so extra padding changes the logits",
        kind="formula",
        target="ClozeClassifier",
        edits=(
            (
                "        self.conv = nn.Conv1d(embeddings.shape[1], 256, kernel_size=3, padding=1)\n",
                "        self.conv = nn.GRU(embeddings.shape[1], 128, batch_first=True, bidirectional=True)\n",
            ),
            (
                "        conv = torch.relu(self.conv(vectors.transpose(1, 2))).transpose(1, 2)\n"
                "        peak = conv.masked_fill(~mask[..., None], 0.0).max(dim=1).values\n",
                "        _, h_n = self.conv(vectors)\n"
                "        peak = torch.cat([h_n[0], h_n[1]], dim=1)\n",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    Mutant(
        name="cloze_finetuned_pad_row_relied_on",
        question="q4",
        description="embeddings fine-tuned (copy, freeze=False, no padding_idx) while only <unk> is masked out, relying on the <pad> row being zero: the pad row is trained away from zero, so extra <pad> change the mean and the conv features",
        kind="graph",
        target="ClozeClassifier",
        edits=(
            (
                "nn.Embedding.from_pretrained(embeddings, freeze=True, padding_idx=0)",
                "nn.Embedding.from_pretrained(embeddings.clone(), freeze=False)",
            ),
            (
                "        vectors = self.embedding(ids) * known[..., None]\n",
                "        vectors = self.embedding(ids) * (ids != 1)[..., None]\n",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    Mutant(
        name="cloze_embeddingbag_offsets_on_padded_flat_ids",
        question="q4",
        description="mean embedding via F.embedding_bag on ids.reshape(-1) with offsets = cumsum(lengths): offsets index the unpadded layout but the flat ids are padded, so bags mix padding and neighbouring texts",
        kind="formula",
        target="ClozeClassifier",
        edits=(
            (
                "        mean = vectors.sum(dim=1) / known.sum(dim=1).clamp(min=1)[:, None]\n",
                "        offsets = torch.cat([lengths.new_zeros(1), lengths.cumsum(0)[:-1]])\n"
                '        mean = F.embedding_bag(ids.reshape(-1), self.embedding.weight, offsets, mode="mean")\n',
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    Mutant(
        name="cloze_conv_avgpool_over_padded_width",
        question="q4",
        description="CNN features average-pooled over all T positions (adaptive avg-pool habit): padded positions carry relu(bias) features and the divisor is the padded width, so extra <pad> change the logits",
        kind="formula",
        target="ClozeClassifier",
        edits=(
            (
                "        peak = conv.masked_fill(~mask[..., None], 0.0).max(dim=1).values\n",
                "        peak = conv.mean(dim=1)\n",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    Mutant(
        name="cloze_known_mask_operator_precedence",
        question="q4",
        description="known = mask & ids != 1 without parentheses: & binds first, so padding counts as known (mean divided by the padded length) and real tokens with odd ids are dropped",
        kind="formula",
        target="ClozeClassifier",
        edits=(("        known = mask & (ids != 1)", "        known = mask & ids != 1"),),
        rerun=(CLS_TRAIN,),
    ),
    # ------------------------------------------------------------------ q5
    Mutant(
        name="span_f1_geometric_mean",
        question="q5",
        description="F1 computed as the geometric mean sqrt(P * R) instead of the harmonic mean 2PR / (P + R)",
        kind="formula",
        target="span_f1",
        edits=(
            (
                "    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0\n",
                "    f1 = math.sqrt(precision * recall)\n",
            ),
        ),
        rerun=(NER_F1,),
    ),
    Mutant(
        name="span_f1_skips_sentences_without_predictions",
        question="q5",
        description="sentences in which nothing is predicted are skipped ('nothing to compare'): their true entities never reach the recall denominator, so recall is inflated",
        kind="formula",
        target="span_f1",
        edits=(
            (
                "    true = {(s, *span) for s, tags in enumerate(true_tags) for span in bio_to_spans(tags)}\n",
                "    true = {(s, *span) for s, tags in enumerate(true_tags) if bio_to_spans(pred_tags[s]) for span in bio_to_spans(tags)}\n",
            ),
        ),
        rerun=(NER_F1,),
    ),
    Mutant(
        name="span_f1_counters_accumulate_across_calls",
        question="q5",
        description="streaming-metric style: hit / predicted / true counts kept in a function attribute and never reset, so every call also counts the entities of all earlier calls",
        kind="in_place",
        target="span_f1",
        edits=(
            (
                "    hits = len(true & pred)\n"
                "    precision = hits / len(pred) if pred else 0.0\n"
                "    recall = hits / len(true) if true else 0.0\n",
                '    totals = span_f1.__dict__.setdefault("_totals", [0, 0, 0])\n'
                "    totals[0] += len(true & pred)\n"
                "    totals[1] += len(pred)\n"
                "    totals[2] += len(true)\n"
                "    hits, n_pred, n_true = totals\n"
                "    precision = hits / n_pred if n_pred else 0.0\n"
                "    recall = hits / n_true if n_true else 0.0\n",
            ),
        ),
        rerun=(NER_F1,),
    ),
    Mutant(
        name="span_f1_last_sentence_skipped",
        question="q5",
        description="off-by-one over the corpus (range(len(true_tags) - 1)): the entities of the last sentence are never counted",
        kind="loop",
        target="span_f1",
        edits=(
            ("enumerate(true_tags)", "enumerate(true_tags[:-1])"),
            ("enumerate(pred_tags)", "enumerate(pred_tags[:-1])"),
        ),
        rerun=(NER_F1,),
    ),
    Mutant(
        name="span_f1_floor_division",
        question="q5",
        description="precision and recall computed with integer division hits // count: they are 0 unless every entity is right",
        kind="formula",
        target="span_f1",
        edits=(
            ("hits / len(pred)", "hits // len(pred)"),
            ("hits / len(true)", "hits // len(true)"),
        ),
        rerun=(NER_F1,),
    ),
    Mutant(
        name="span_f1_precision_nan_when_nothing_predicted",
        question="q5",
        description="precision and recall computed as np.mean of per-entity hit flags: with no predicted (or no true) entities np.mean([]) gives NaN instead of 0",
        kind="tolerance",
        target="span_f1",
        edits=(
            (
                "    precision = hits / len(pred) if pred else 0.0\n"
                "    recall = hits / len(true) if true else 0.0\n",
                "    precision = float(np.mean([span in true for span in pred]))\n"
                "    recall = float(np.mean([span in pred for span in true]))\n",
            ),
        ),
        rerun=(NER_F1,),
    ),
    # ------------------------------------------------------------------ q6
    Mutant(
        name="ner_lengths_from_first_false_argmin",
        question="q6",
        description="packing lengths found as the first False of the mask (mask.int().argmin): a row without padding gives 0, clamped to 1, so the longest sentence of every batch is packed with length 1",
        kind="formula",
        target="NerTagger",
        edits=(
            (
                "        lengths = mask.sum(dim=1).clamp(min=1).cpu()\n",
                "        lengths = mask.int().argmin(dim=1).clamp(min=1).cpu()\n",
            ),
        ),
        rerun=(NER_TRAIN, NER_F1),
    ),
    Mutant(
        name="ner_lstm_state_carried_across_batches",
        question="q6",
        description="stateful-RNN habit: the BiLSTM's final (h, c) is stored (detached) and used as the initial state of the next call with the same batch size, so tags depend on earlier calls",
        kind="graph",
        target="NerTagger",
        edits=(
            (
                "        out, _ = self.lstm(packed)\n",
                '        state = getattr(self, "_state", None)\n'
                "        if state is not None and state[0].shape[1] != B:\n"
                "            state = None\n"
                "        out, (h_n, c_n) = self.lstm(packed, state)\n"
                "        self._state = (h_n.detach(), c_n.detach())\n",
            ),
        ),
        rerun=(NER_TRAIN, NER_F1),
    ),
    Mutant(
        name="ner_char_cnn_dedup_by_word_id",
        question="q6",
        description="'optimisation': the char CNN runs once per distinct word id (torch.unique) using the chars of its first occurrence, so every <unk> word in a batch (all new names and cities) gets the characters of the first <unk> word",
        kind="formula",
        target="NerTagger",
        edits=(
            (
                "        chars = self.chars(char_ids.reshape(B * T, C)).transpose(1, 2)\n"
                "        char_vec = torch.relu(self.char_conv(chars))\n"
                "        char_vec = char_vec.masked_fill((char_ids.reshape(B * T, 1, C) == 0), 0.0).max(dim=2).values\n",
                "        uniq, inverse = torch.unique(word_ids.reshape(-1), return_inverse=True)\n"
                '        first = torch.full((len(uniq),), B * T, dtype=torch.long).scatter_reduce(0, inverse, torch.arange(B * T), reduce="amin")\n'
                "        uniq_chars = char_ids.reshape(B * T, C)[first]\n"
                "        chars = self.chars(uniq_chars).transpose(1, 2)\n"
                "        char_vec = torch.relu(self.char_conv(chars))\n"
                "        char_vec = char_vec.masked_fill((uniq_chars[:, None, :] == 0), 0.0).max(dim=2).values[inverse]\n",
            ),
        ),
        rerun=(NER_TRAIN, NER_F1),
    ),
    Mutant(
        name="ner_char_mean_pool_over_padded_width",
        question="q6",
        description="char CNN features mean-pooled over all C character columns (padding zero-filled but counted): a word's vector depends on the longest word of the batch",
        kind="formula",
        target="NerTagger",
        edits=(
            (
                "(char_ids.reshape(B * T, 1, C) == 0), 0.0).max(dim=2).values\n",
                "(char_ids.reshape(B * T, 1, C) == 0), 0.0).mean(dim=2)\n",
            ),
        ),
        rerun=(NER_TRAIN, NER_F1),
    ),
    Mutant(
        name="ner_char_conv_across_word_boundaries",
        question="q6",
        description="vectorised char CNN: one convolution over each sentence's flattened (T*C) character row, so windows of words as long as the batch width reach into the next word's characters",
        kind="formula",
        target="NerTagger",
        edits=(
            (
                "        chars = self.chars(char_ids.reshape(B * T, C)).transpose(1, 2)\n"
                "        char_vec = torch.relu(self.char_conv(chars))\n"
                "        char_vec = char_vec.masked_fill((char_ids.reshape(B * T, 1, C) == 0), 0.0).max(dim=2).values\n"
                "        x = torch.cat([self.words(word_ids), char_vec.reshape(B, T, -1)], dim=2)\n",
                "        chars = self.chars(char_ids.reshape(B, T * C)).transpose(1, 2)\n"
                "        char_vec = torch.relu(self.char_conv(chars)).reshape(B, -1, T, C)\n"
                "        char_vec = char_vec.masked_fill((char_ids == 0)[:, None], 0.0).max(dim=3).values\n"
                "        x = torch.cat([self.words(word_ids), char_vec.transpose(1, 2)], dim=2)\n",
            ),
        ),
        rerun=(NER_TRAIN, NER_F1),
    ),
    # ------------------------------------------------------------------ q7
    Mutant(
        name="attention_scores_mean_over_hidden",
        question="q7",
        description="scores computed as (keys * query).mean(-1) instead of the sum: every dot product is divided by H, although unscaled dot products are required",
        kind="formula",
        target="attention",
        edits=(
            (
                "    scores = torch.bmm(keys, query.unsqueeze(2)).squeeze(2)\n",
                "    scores = (keys * query.unsqueeze(1)).mean(dim=2)\n",
            ),
        ),
        rerun=(TR_TRAIN, TR_VAL),
    ),
    Mutant(
        name="attention_scores_query_of_first_row",
        question="q7",
        description="scores written as keys @ query[0] (left over from a batch-of-one check): every row is scored with the first row's query",
        kind="formula",
        target="attention",
        edits=(
            (
                "    scores = torch.bmm(keys, query.unsqueeze(2)).squeeze(2)\n",
                "    scores = keys @ query[0]\n",
            ),
        ),
        rerun=(TR_TRAIN, TR_VAL),
    ),
    Mutant(
        name="attention_manual_softmax_global_sum",
        question="q7",
        description="hand-written softmax normalised with .sum() without dim: exp(s - max) is divided by its sum over the whole (B, T) tensor, so rows do not sum to 1 and depend on the other rows",
        kind="formula",
        target="attention",
        edits=(
            (
                "    weights = torch.softmax(scores, dim=1)\n",
                "    weights = torch.exp(scores - scores.max())\n    weights = weights / weights.sum()\n",
            ),
        ),
        rerun=(TR_TRAIN, TR_VAL),
    ),
    # ------------------------------------------------------------------ q8
    Mutant(
        name="seq2seq_loss_mean_over_nonzero_losses",
        question="q8",
        description="per-token losses averaged over the entries != 0 ('padding has zero loss'): real tokens whose loss underflows to exactly 0 (confident predictions) leave the denominator; all-confident batches give NaN",
        kind="tolerance",
        target="seq2seq_loss",
        edits=(
            (
                "    return F.cross_entropy(\n"
                "        logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=pad_id\n"
                "    )\n",
                "    losses = F.cross_entropy(\n"
                '        logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=pad_id, reduction="none"\n'
                "    )\n"
                "    return losses[losses != 0].mean()\n",
            ),
        ),
        rerun=(TR_TRAIN, TR_VAL),
    ),
    Mutant(
        name="seq2seq_mask_excludes_unk",
        question="q8",
        description="encode returns mask = src > 1 ('real and known tokens') instead of src != 0: <unk> source positions are hidden from attention (an all-<unk> source gives NaN)",
        kind="formula",
        target="Seq2Seq",
        edits=(("        return enc_out, src != 0, h\n", "        return enc_out, src > 1, h\n"),),
        rerun=(),
    ),
    Mutant(
        name="seq2seq_encode_lengths_minus_one",
        question="q8",
        description="packing lengths src_lengths - 1 (clamped to 1) as if the source ended with <eos>: the encoder never reads the last source word",
        kind="formula",
        target="Seq2Seq",
        edits=(
            (
                "self.src_emb(src), src_lengths.cpu(), batch_first=True, enforce_sorted=False",
                "self.src_emb(src), (src_lengths - 1).clamp(min=1).cpu(), batch_first=True, enforce_sorted=False",
            ),
        ),
        rerun=(TR_TRAIN, TR_VAL),
    ),
    Mutant(
        name="seq2seq_teacher_forcing_feeds_current_target",
        question="q8",
        description="shift confusion: step t is fed tgt_in[:, t + 1] (the token it must predict; the last step repeats the last column) instead of tgt_in[:, t]",
        kind="loop",
        target="Seq2Seq",
        edits=(
            (
                "self.decode_step(tgt_in[:, t], h, enc_out, mask)",
                "self.decode_step(tgt_in[:, min(t + 1, tgt_in.shape[1] - 1)], h, enc_out, mask)",
            ),
        ),
        rerun=(TR_TRAIN, TR_VAL),
    ),
    # ------------------------------------------------------------------ q9
    Mutant(
        name="greedy_stop_check_one_step_late",
        question="q9",
        description="'all finished' checked before the done flags are updated with the current step: the loop runs one extra decode_step after every sequence has emitted <eos>",
        kind="loop",
        target="greedy_decode",
        edits=(
            (
                "            done |= y == eos_id\n            if done.all():\n                break\n",
                "            if done.all():\n                break\n            done |= y == eos_id\n",
            ),
        ),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="greedy_stop_token_compared_with_bos_id",
        question="q9",
        description="copy-paste of the wrong special id: sequences end at a generated bos_id instead of eos_id, so <eos> and everything after it is returned and decoding never stops early",
        kind="formula",
        target="greedy_decode",
        edits=(
            ("y[row].item() != eos_id", "y[row].item() != bos_id"),
            ("done |= y == eos_id", "done |= y == bos_id"),
        ),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="greedy_forces_eos_on_unfinished_rows",
        question="q9",
        description="rows that never produced <eos> get eos_id appended after the loop ('close every sequence'): they return max_len + 1 ids including <eos>",
        kind="formula",
        target="greedy_decode",
        edits=(
            (
                "    return outputs\n",
                "    for row in range(src.shape[0]):\n"
                "        if not done[row]:\n"
                "            outputs[row].append(eos_id)\n"
                "    return outputs\n",
            ),
        ),
        rerun=(TR_VAL,),
    ),
    # ------------------------------------------------------------------ q10
    Mutant(
        name="bleu_returns_log_mean_without_exp",
        question="q10",
        description="the mean of the log precisions is multiplied by BP without exponentiating: BLEU is returned in the log domain (a non-positive number)",
        kind="formula",
        target="corpus_bleu",
        edits=(
            (
                "    return brevity * math.exp(log_precision)\n",
                "    return brevity * log_precision\n",
            ),
        ),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="bleu_add_one_smoothing_higher_orders",
        question="q10",
        description="Lin-Och add-one smoothing: 1 added to the matches and totals of every order n >= 2, although BLEU must be unsmoothed (exactly 0 when some p_n = 0)",
        kind="formula",
        target="corpus_bleu",
        edits=(
            (
                "    if min(matches) == 0:\n",
                "    matches = [m + (n > 0) for n, m in enumerate(matches)]\n"
                "    totals = [t + (n > 0) for n, t in enumerate(totals)]\n"
                "    if min(matches) == 0:\n",
            ),
        ),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="bleu_brevity_linear_ratio",
        question="q10",
        description="brevity penalty taken as the plain ratio c / r for short output instead of exp(1 - r / c)",
        kind="formula",
        target="corpus_bleu",
        edits=(("math.exp(1.0 - r / c)", "c / r"),),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="bleu_ngrams_with_bos_eos_markers",
        question="q10",
        description="language-model habit: each hypothesis and reference is wrapped in <bos>/<eos> before n-grams are counted, adding boundary n-grams that always match",
        kind="formula",
        target="corpus_bleu",
        edits=(
            (
                "    for ref, hyp in zip(references, hypotheses):\n",
                "    for ref, hyp in zip(references, hypotheses):\n"
                "        ref, hyp = [BOS] + list(ref) + [EOS], [BOS] + list(hyp) + [EOS]\n",
            ),
        ),
        rerun=(TR_VAL,),
    ),
    # ------------------------------------------------------------------ q11
    Mutant(
        name="translator_val_bleu_refs_from_train",
        question="q11",
        description="copy-paste: translator_val_bleu uses the targets of translator_train as references (zip pairs them with the first validation predictions, r sums all training targets)",
        kind="loop",
        target="translator_val_bleu = corpus_bleu(",
        edits=(
            (
                "corpus_bleu([t for _, t in translator_val]",
                "corpus_bleu([t for _, t in translator_train]",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="translator_val_exact_macro_by_length",
        question="q11",
        description="translator_val_exact averaged per number of digits (mean of per-length accuracies) instead of the share of exact matches over all validation pairs",
        kind="formula",
        target="translator_val_exact = float(",
        edits=(
            (
                'translator_val_exact = float(np.mean(["".join(t) == p for (_, t), p in zip(translator_val, _val_pred)]))\n',
                "_by_len = {}\n"
                "for (_, t), p in zip(translator_val, _val_pred):\n"
                '    _by_len.setdefault(len(t), []).append("".join(t) == p)\n'
                "translator_val_exact = float(np.mean([np.mean(v) for v in _by_len.values()]))\n",
            ),
        ),
        rerun=(),
    ),
]
