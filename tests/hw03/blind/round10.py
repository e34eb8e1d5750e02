"""Blind round 10 for hw03 (issue #26): written by a helper who read only the task text, the reference solution and the names of rounds 1-9 (tests/mutation/blind_kit.py), never the tests; asked for mistakes in the answers, not in the ready-made cells."""

from mutation.harness import Mutant

CLS_TRAIN = "cls_model = ClozeClassifier(cls_embeddings, len(CLOZE_WORDS))"
NER_TRAIN = "ner_model = NerTagger(len(ner_word_vocab)"
NER_F1 = "ner_val_f1 = span_f1("
TR_TRAIN = "translator = Seq2Seq(len(translator_src_vocab)"
TR_VAL = "_val_pred = translate("

MUTANTS = [
    # ------------------------------------------------------------------ q1
    Mutant(
        name="vocab_ties_unstable_argsort",
        question="q1",
        description="tokens sorted alphabetically, then ordered with np.argsort of -count (default quicksort, not stable): equal-frequency tokens lose their alphabetical order",
        kind="tolerance",
        target="build_vocab",
        edits=(
            (
                "    for token in sorted(kept, key=lambda t: (-counts[t], t)):\n        vocab[token] = len(vocab)",
                "    kept = sorted(kept)\n    for j in np.argsort([-counts[t] for t in kept]):\n        vocab[kept[int(j)]] = len(vocab)",
            ),
        ),
    ),
    Mutant(
        name="vocab_duplicate_texts_counted_once",
        question="q1",
        description="duplicate texts removed before counting (set of token tuples): a text occurring several times contributes its tokens only once",
        kind="formula",
        target="build_vocab",
        edits=(
            (
                "Counter(token for tokens in token_lists for token in tokens)",
                "Counter(token for tokens in set(map(tuple, token_lists)) for token in tokens)",
            ),
        ),
    ),
    Mutant(
        name="vocab_specials_list_concatenation",
        question="q1",
        description="id list built as specials + sorted tokens: a tuple of specials raises TypeError instead of being accepted",
        kind="tolerance",
        target="build_vocab",
        edits=(
            (
                "    vocab = {token: i for i, token in enumerate(specials)}\n"
                "    kept = [t for t, c in counts.items() if c >= min_freq and t not in vocab]\n"
                "    for token in sorted(kept, key=lambda t: (-counts[t], t)):\n"
                "        vocab[token] = len(vocab)\n"
                "    return vocab",
                "    kept = [t for t, c in counts.items() if c >= min_freq and t not in specials]\n"
                "    itos = specials + sorted(kept, key=lambda t: (-counts[t], t))\n"
                "    return {token: i for i, token in enumerate(itos)}",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q2
    Mutant(
        name="pad_batch_truncates_long_sequences",
        question="q2",
        description="sequences cut to a hard-coded maximum of 64 tokens (max_len habit): T and lengths never exceed 64 and long texts lose their tail",
        kind="formula",
        target="pad_batch",
        edits=(
            ("[len(s) for s in sequences]", "[min(len(s), 64) for s in sequences]"),
            (
                "ids[row, : len(seq)] = torch.tensor(seq, dtype=torch.long)",
                "ids[row, : min(len(seq), 64)] = torch.tensor(seq[:64], dtype=torch.long)",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    Mutant(
        name="encode_bos_not_duplicated",
        question="q2",
        description="<bos>/<eos> added only when the tokens do not already start/end with '<bos>'/'<eos>' ('no duplicates'), although they must always be added",
        kind="tolerance",
        target="encode",
        edits=(
            ("    if add_bos:", "    if add_bos and list(tokens[:1]) != [BOS]:"),
            ("    if add_eos:", "    if add_eos and list(tokens[-1:]) != [EOS]:"),
        ),
    ),
    Mutant(
        name="pad_batch_lengths_clamped_to_one",
        question="q2",
        description="lengths clamped to at least 1 ('pack_padded_sequence needs length > 0'): an empty sequence reports length 1 and its first pad position is marked True in the mask",
        kind="tolerance",
        target="pad_batch",
        edits=(
            (
                "lengths = torch.tensor([len(s) for s in sequences], dtype=torch.long)",
                "lengths = torch.tensor([len(s) for s in sequences], dtype=torch.long).clamp(min=1)",
            ),
        ),
    ),
    Mutant(
        name="pad_batch_tensors_into_callers_list",
        question="q2",
        description="each sequence converted to a tensor in place (sequences[i] = torch.tensor(...)) before pad_sequence: the caller's list now holds tensors",
        kind="in_place",
        target="pad_batch",
        edits=(
            (
                "    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.long)\n"
                "    ids = torch.full((len(sequences), int(lengths.max())), pad_id, dtype=torch.long)\n"
                "    for row, seq in enumerate(sequences):\n"
                "        ids[row, : len(seq)] = torch.tensor(seq, dtype=torch.long)\n",
                "    for i, seq in enumerate(sequences):\n"
                "        sequences[i] = torch.tensor(seq, dtype=torch.long)\n"
                "    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.long)\n"
                "    ids = nn.utils.rnn.pad_sequence(sequences, batch_first=True, padding_value=pad_id)\n",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q3
    Mutant(
        name="cls_vocab_debug_subset",
        question="q3",
        description="classifier vocabulary built from a debugging subset cls_train[:2000] instead of all training texts",
        kind="formula",
        target="cls_vocab = build_vocab(",
        edits=(("for text, _ in cls_train]", "for text, _ in cls_train[:2000]]"),),
        rerun=(CLS_TRAIN,),
    ),
    Mutant(
        name="embedding_reloads_navec_from_package",
        question="q3",
        description="embedding_matrix reloads navec from the natasha package file instead of using its navec argument (a different embedding source is ignored)",
        kind="formula",
        target="embedding_matrix",
        edits=(
            (
                '    unk = torch.from_numpy(np.asarray(navec["<unk>"], dtype=np.float32))',
                '    navec = Navec.load(package_dir("natasha") / "data" / "emb" / "navec_news_v1_1B_250K_300d_100q.tar")\n'
                '    unk = torch.from_numpy(np.asarray(navec["<unk>"], dtype=np.float32))',
            ),
        ),
    ),
    Mutant(
        name="cls_vocab_unk_first_specials",
        question="q3",
        description="classifier vocabulary built with specials [<unk>, <pad>, <bos>, <eos>] (old torchtext habit) instead of SPECIALS: <pad> is not id 0",
        kind="formula",
        target="cls_vocab = build_vocab(",
        edits=(("min_freq=1)", "min_freq=1, specials=[UNK, PAD, BOS, EOS])"),),
        rerun=(CLS_TRAIN,),
    ),
    # ------------------------------------------------------------------ q4
    Mutant(
        name="cloze_embedding_max_norm_renorms_callers_matrix",
        question="q4",
        description="embedding created with max_norm=1.0: every forward renormalises the looked-up rows in place in the caller's embeddings tensor (shared storage) and changes the features",
        kind="in_place",
        target="ClozeClassifier",
        edits=(("freeze=True, padding_idx=0)", "freeze=True, padding_idx=0, max_norm=1.0)"),),
        rerun=(CLS_TRAIN,),
    ),
    Mutant(
        name="cloze_instance_norm_over_padding",
        question="q4",
        description="nn.InstanceNorm1d after the convolution normalises each channel over all T positions, padding included: extra <pad> change the logits",
        kind="formula",
        target="ClozeClassifier",
        edits=(
            (
                "        self.conv = nn.Conv1d(embeddings.shape[1], 256, kernel_size=3, padding=1)",
                "        self.conv = nn.Conv1d(embeddings.shape[1], 256, kernel_size=3, padding=1)\n"
                "        self.norm = nn.InstanceNorm1d(256)",
            ),
            (
                "torch.relu(self.conv(vectors.transpose(1, 2)))",
                "torch.relu(self.norm(self.conv(vectors.transpose(1, 2))))",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    Mutant(
        name="cloze_manual_dropout_without_rescale",
        question="q4",
        description="hand-written dropout on the pooled features keeps units with prob 0.7 in train mode without dividing by 0.7: eval-mode features are on a different scale than in training",
        kind="mode",
        target="ClozeClassifier",
        edits=(
            (
                "        return self.head(torch.cat([peak, mean], dim=1))",
                "        features = torch.cat([peak, mean], dim=1)\n"
                "        if self.training:\n"
                "            features = features * (torch.rand_like(features) > 0.3)\n"
                "        return self.head[1](features)",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    Mutant(
        name="cloze_init_private_generator",
        question="q4",
        description="conv and head weights re-initialised uniform(-0.05, 0.05) from a private Generator seeded 0: the initial weights ignore the notebook's global seed",
        kind="loop",
        target="ClozeClassifier",
        edits=(
            (
                "        self.head = nn.Sequential(nn.Dropout(0.3), nn.Linear(256 + embeddings.shape[1], n_classes))",
                "        self.head = nn.Sequential(nn.Dropout(0.3), nn.Linear(256 + embeddings.shape[1], n_classes))\n"
                "        gen = torch.Generator().manual_seed(0)\n"
                "        with torch.no_grad():\n"
                "            for p in list(self.conv.parameters()) + list(self.head.parameters()):\n"
                "                p.uniform_(-0.05, 0.05, generator=gen)",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    # ------------------------------------------------------------------ q5
    Mutant(
        name="bio_start_from_list_index",
        question="q5",
        description="entity start found with tags.index(tag): a repeated tag (second B-PER) gets the position of its first occurrence",
        kind="formula",
        target="bio_to_spans",
        edits=(("kind, start = label, i", "kind, start = label, list(tags).index(tag)"),),
        rerun=(NER_F1,),
    ),
    Mutant(
        name="bio_entity_before_b_dropped",
        question="q5",
        description="an entity is closed only by O: when a B-X (or a new I-X) directly follows an entity, the previous entity is overwritten and lost",
        kind="formula",
        target="bio_to_spans",
        edits=(
            (
                "        if kind is not None:\n",
                '        if kind is not None and prefix not in ("B", "I"):\n',
            ),
        ),
        rerun=(NER_F1,),
    ),
    Mutant(
        name="span_f1_epsilon_denominators",
        question="q5",
        description="zero guards replaced by +1e-9 in the denominators: perfect predictions give 0.999999999 instead of 1.0",
        kind="tolerance",
        target="span_f1",
        edits=(
            ("hits / len(pred) if pred else 0.0", "hits / (len(pred) + 1e-9)"),
            ("hits / len(true) if true else 0.0", "hits / (len(true) + 1e-9)"),
            (
                "2 * precision * recall / (precision + recall) if precision + recall else 0.0",
                "2 * precision * recall / (precision + recall + 1e-9)",
            ),
        ),
        rerun=(NER_F1,),
    ),
    # ------------------------------------------------------------------ q6
    Mutant(
        name="ner_empty_row_mask_patched_in_place",
        question="q6",
        description="to pack an empty sentence the tagger sets mask[:, 0] = True on the caller's mask in place (instead of clamping the lengths)",
        kind="in_place",
        target="NerTagger",
        edits=(
            (
                "        lengths = mask.sum(dim=1).clamp(min=1).cpu()",
                "        mask[:, 0] = True  # an empty sentence still needs one step for packing\n"
                "        lengths = mask.sum(dim=1).cpu()",
            ),
        ),
    ),
    Mutant(
        name="ner_forward_word_dropout_consumes_global_rng",
        question="q6",
        description="extra word dropout in forward draws torch.rand unconditionally (rate 0 in eval): every call, also tag_sentences in eval mode, advances the global torch RNG",
        kind="loop",
        target="NerTagger",
        edits=(
            (
                "        x = torch.cat([self.words(word_ids), char_vec.reshape(B, T, -1)], dim=2)",
                "        drop = torch.rand(word_ids.shape) < (0.1 if self.training else 0.0)\n"
                "        x = torch.cat([self.words(word_ids.masked_fill(drop, 1)), char_vec.reshape(B, T, -1)], dim=2)",
            ),
        ),
        rerun=(NER_TRAIN, NER_F1),
    ),
    Mutant(
        name="ner_eval_returns_probabilities",
        question="q6",
        description="forward returns softmax probabilities in eval mode ('for inference') and logits only in train mode: the output depends on the mode",
        kind="mode",
        target="NerTagger",
        edits=(
            (
                "        return self.out(out)",
                "        logits = self.out(out)\n"
                "        return logits if self.training else logits.softmax(dim=-1)",
            ),
        ),
    ),
    Mutant(
        name="ner_val_f1_rounded",
        question="q6",
        description="ner_val_f1 rounded to three decimals (as printed) instead of the exact F1",
        kind="tolerance",
        target=NER_F1,
        edits=(
            ("ner_val_f1 = span_f1(", "ner_val_f1 = round(span_f1("),
            (")[2]", ")[2], 3)"),
        ),
    ),
    # ------------------------------------------------------------------ q7
    Mutant(
        name="attention_mask_first_row_broadcast",
        question="q7",
        description="mask of the first batch row (mask[0]) broadcast to every row: other rows get padding weight or lose real positions",
        kind="formula",
        target="attention",
        edits=(
            (
                'scores.masked_fill(~mask, float("-inf"))',
                'scores.masked_fill(~mask[0], float("-inf"))',
            ),
        ),
        rerun=(TR_TRAIN, TR_VAL),
    ),
    Mutant(
        name="attention_einsum_index_typo",
        question="q7",
        description="context computed with einsum('bt,bsd->bd'): the weights are summed separately, so the context is the plain sum of all values (padding included)",
        kind="formula",
        target="attention",
        edits=(
            (
                "context = torch.bmm(weights.unsqueeze(1), values).squeeze(1)",
                'context = torch.einsum("bt,bsd->bd", weights, values)',
            ),
        ),
        rerun=(TR_TRAIN, TR_VAL),
    ),
    Mutant(
        name="attention_keys_detached",
        question="q7",
        description="scores computed from keys.detach(): no gradient reaches the keys through the scores (only query and values get gradients)",
        kind="graph",
        target="attention",
        edits=(
            ("torch.bmm(keys, query.unsqueeze(2))", "torch.bmm(keys.detach(), query.unsqueeze(2))"),
        ),
        rerun=(TR_TRAIN, TR_VAL),
    ),
    Mutant(
        name="attention_weights_clamped_to_epsilon",
        question="q7",
        description="weights clamped to at least 1e-9 after the softmax ('avoid zeros'): padding weights are 1e-9 instead of exactly 0",
        kind="tolerance",
        target="attention",
        edits=(
            (
                "weights = torch.softmax(scores, dim=1)",
                "weights = torch.softmax(scores, dim=1).clamp(min=1e-9)",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q8
    Mutant(
        name="seq2seq_loss_log_softmax_over_time",
        question="q8",
        description="log_softmax taken over dim=1 (the time axis of (B, L, V), 'classes are dim 1' confusion) before nll_loss: the loss is not the cross-entropy over the vocabulary",
        kind="formula",
        target="seq2seq_loss",
        edits=(
            (
                "    return F.cross_entropy(\n"
                "        logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=pad_id\n"
                "    )",
                "    log_probs = F.log_softmax(logits, dim=1)\n"
                "    return F.nll_loss(\n"
                "        log_probs.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=pad_id\n"
                "    )",
            ),
        ),
        rerun=(TR_TRAIN, TR_VAL),
    ),
    Mutant(
        name="seq2seq_loss_masked_mean_over_all_positions",
        question="q8",
        description="per-token losses multiplied by the non-pad mask and then averaged over all B*L positions: padding is in the denominator",
        kind="formula",
        target="seq2seq_loss",
        edits=(
            (
                "    return F.cross_entropy(\n"
                "        logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=pad_id\n"
                "    )",
                "    losses = F.cross_entropy(\n"
                '        logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), reduction="none"\n'
                "    )\n"
                "    return (losses * (targets.reshape(-1) != pad_id).float()).mean()",
            ),
        ),
        rerun=(TR_TRAIN, TR_VAL),
    ),
    Mutant(
        name="seq2seq_state_with_layer_axis",
        question="q8",
        description="nn.GRU-tutorial shapes: encode returns h as (1, B, hidden) and decode_step returns h_new as (1, B, hidden) instead of (B, hidden)",
        kind="formula",
        target="Seq2Seq",
        edits=(
            (
                "        return enc_out, src != 0, h",
                "        return enc_out, src != 0, h.unsqueeze(0)",
            ),
            (
                "        # BEGIN SOLUTION\n        context, _ = attention(",
                "        # BEGIN SOLUTION\n        h = h.squeeze(0)\n        context, _ = attention(",
            ),
            (
                "        return self.out(torch.cat([h, context], dim=1)), h",
                "        return self.out(torch.cat([h, context], dim=1)), h.unsqueeze(0)",
            ),
        ),
    ),
    Mutant(
        name="seq2seq_emb_dim_hardcoded",
        question="q8",
        description="embedding width hard-coded to 64: the emb_dim argument is ignored (only the default is right)",
        kind="formula",
        target="Seq2Seq",
        edits=(
            ("nn.Embedding(src_vocab_size, emb_dim,", "nn.Embedding(src_vocab_size, 64,"),
            ("nn.Embedding(tgt_vocab_size, emb_dim,", "nn.Embedding(tgt_vocab_size, 64,"),
            ("nn.GRU(emb_dim,", "nn.GRU(64,"),
            ("nn.GRUCell(emb_dim +", "nn.GRUCell(64 +"),
        ),
    ),
    Mutant(
        name="seq2seq_init_private_generator",
        question="q8",
        description="all parameters re-initialised uniform(-0.08, 0.08) from a private Generator seeded 0: initial weights ignore the notebook's global seed",
        kind="loop",
        target="Seq2Seq",
        edits=(
            (
                "        self.out = nn.Linear(hidden + 2 * hidden, tgt_vocab_size)",
                "        self.out = nn.Linear(hidden + 2 * hidden, tgt_vocab_size)\n"
                "        gen = torch.Generator().manual_seed(0)\n"
                "        with torch.no_grad():\n"
                "            for p in self.parameters():\n"
                "                p.uniform_(-0.08, 0.08, generator=gen)",
            ),
        ),
        rerun=(TR_TRAIN, TR_VAL),
    ),
    # ------------------------------------------------------------------ q9
    Mutant(
        name="greedy_reseeds_global_rng",
        question="q9",
        description="greedy_decode calls torch.manual_seed(0) 'for reproducible decoding': the caller's global torch RNG is reset",
        kind="loop",
        target="greedy_decode",
        edits=(("    model.eval()\n", "    torch.manual_seed(0)\n    model.eval()\n"),),
    ),
    Mutant(
        name="greedy_max_len_capped_by_source_length",
        question="q9",
        description="MT heuristic: max_len capped at twice the source width, so short sources ('сто', 'тысяча') are cut before <eos> and before max_len tokens",
        kind="tolerance",
        target="greedy_decode",
        edits=(
            (
                "        enc_out, mask, h = model.encode(src, src_lengths)\n",
                "        enc_out, mask, h = model.encode(src, src_lengths)\n"
                "        max_len = min(max_len, 2 * src.shape[1])\n",
            ),
        ),
    ),
    Mutant(
        name="greedy_softmax_over_batch_before_argmax",
        question="q9",
        description="logits turned into probabilities with softmax over dim=0 (the batch) before the argmax: not the highest-logit token (a batch of one always gives id 0)",
        kind="formula",
        target="greedy_decode",
        edits=(("y = logits.argmax(dim=1)", "y = torch.softmax(logits, dim=0).argmax(dim=1)"),),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="greedy_initial_state_zeros",
        question="q9",
        description="decoder started from a zero state instead of the h returned by model.encode",
        kind="formula",
        target="greedy_decode",
        edits=(
            (
                "        enc_out, mask, h = model.encode(src, src_lengths)\n",
                "        enc_out, mask, _ = model.encode(src, src_lengths)\n"
                "        h = torch.zeros(src.shape[0], enc_out.shape[2] // 2)\n",
            ),
        ),
        rerun=(TR_VAL,),
    ),
    # ------------------------------------------------------------------ q10
    Mutant(
        name="bleu_totals_negative_for_short_hyps",
        question="q10",
        description="n-gram totals counted as len(hyp) - n + 1 without max(0, ...): hypotheses shorter than n subtract from the denominator",
        kind="tolerance",
        target="corpus_bleu",
        edits=(("totals[n - 1] += sum(hyp_ngrams.values())", "totals[n - 1] += len(hyp) - n + 1"),),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="bleu_geometric_mean_float32",
        question="q10",
        description="log precisions averaged with torch tensors (float32): BLEU is only float32-accurate",
        kind="tolerance",
        target="corpus_bleu",
        edits=(
            (
                "log_precision = sum(math.log(m / t) for m, t in zip(matches, totals)) / max_n",
                "log_precision = float(torch.log(torch.tensor(matches) / torch.tensor(totals)).mean())",
            ),
        ),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="bleu_ref_ngrams_from_hyp_copy_paste",
        question="q10",
        description="copy-paste slip: the reference n-gram counter is built from the hypothesis, so every n-gram matches and BLEU equals the brevity penalty",
        kind="formula",
        target="corpus_bleu",
        edits=(
            (
                "ref_ngrams = Counter(tuple(ref[i : i + n]) for i in range(len(ref) - n + 1))",
                "ref_ngrams = Counter(tuple(hyp[i : i + n]) for i in range(len(hyp) - n + 1))",
            ),
        ),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="bleu_lengths_in_characters",
        question="q10",
        description="c and r measured in characters of the joined token strings ('length of the number') instead of in tokens: wrong brevity penalty for multi-character tokens",
        kind="formula",
        target="corpus_bleu",
        edits=(
            ("c = sum(len(h) for h in hypotheses)", 'c = sum(len("".join(h)) for h in hypotheses)'),
            (
                "r = sum(len(ref) for ref in references)",
                'r = sum(len("".join(ref)) for ref in references)',
            ),
        ),
        rerun=(TR_VAL,),
    ),
    # ------------------------------------------------------------------ q11
    Mutant(
        name="translator_val_exact_count",
        question="q11",
        description="translator_val_exact is the number of exact matches (np.sum) instead of their share",
        kind="formula",
        target=TR_VAL,
        edits=(("translator_val_exact = float(np.mean(", "translator_val_exact = float(np.sum("),),
    ),
    Mutant(
        name="translator_val_exact_divided_by_train_size",
        question="q11",
        description="copy-paste denominator: number of exact matches divided by len(translator_train) instead of the number of validation pairs",
        kind="formula",
        target=TR_VAL,
        edits=(
            (
                'translator_val_exact = float(np.mean(["".join(t) == p for (_, t), p in zip(translator_val, _val_pred)]))',
                'translator_val_exact = sum("".join(t) == p for (_, t), p in zip(translator_val, _val_pred)) / len(translator_train)',
            ),
        ),
    ),
]
