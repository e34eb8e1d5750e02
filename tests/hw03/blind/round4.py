"""Blind round 4 for hw03 (issue #26): written by a helper who read only the task text, the reference solution and the names of rounds 1-3 (tests/mutation/blind_kit.py), never the tests."""

from mutation.harness import Mutant

CLS_TRAIN = "cls_model = ClozeClassifier("
NER_TRAIN = "ner_model = NerTagger("
NER_F1 = "ner_val_f1 = span_f1("
TR_TRAIN = "translator = Seq2Seq("
TR_VAL = "_val_pred = translate("

GREEDY_BODY = """    model.eval()
    with torch.no_grad():
        enc_out, mask, h = model.encode(src, src_lengths)
        y = torch.full((src.shape[0],), bos_id, dtype=torch.long)
        outputs = [[] for _ in range(src.shape[0])]
        done = torch.zeros(src.shape[0], dtype=torch.bool)
        for _ in range(max_len):
            logits, h = model.decode_step(y, h, enc_out, mask)
            y = logits.argmax(dim=1)
            for row in range(src.shape[0]):
                if not done[row] and y[row].item() != eos_id:
                    outputs[row].append(y[row].item())
            done |= y == eos_id
            if done.all():
                break
    return outputs"""

GREEDY_BODY_WITH_GRAD = """    model.eval()
    enc_out, mask, h = model.encode(src, src_lengths)
    y = torch.full((src.shape[0],), bos_id, dtype=torch.long)
    outputs = [[] for _ in range(src.shape[0])]
    done = torch.zeros(src.shape[0], dtype=torch.bool)
    for _ in range(max_len):
        logits, h = model.decode_step(y, h, enc_out, mask)
        y = logits.argmax(dim=1)
        for row in range(src.shape[0]):
            if not done[row] and y[row].item() != eos_id:
                outputs[row].append(y[row].item())
        done |= y == eos_id
        if done.all():
            break
    return outputs"""

MUTANTS = [
    # ------------------------------------------------------------------ q1
    Mutant(
        name="vocab_counts_lowercased_tokens",
        question="q1",
        description="tokens lower-cased while counting: tokens with capitals are merged with (and stored as) their lower-case form",
        kind="formula",
        target="build_vocab",
        edits=(
            (
                "Counter(token for tokens in token_lists for token in tokens)",
                "Counter(token.lower() for tokens in token_lists for token in tokens)",
            ),
        ),
    ),
    Mutant(
        name="vocab_ties_case_insensitive",
        question="q1",
        description="equal-frequency tokens ordered case-insensitively (t.lower()) instead of by plain Python string comparison",
        kind="tolerance",
        target="build_vocab",
        edits=(("key=lambda t: (-counts[t], t)", "key=lambda t: (-counts[t], t.lower())"),),
    ),
    Mutant(
        name="vocab_frequency_ascending",
        question="q1",
        description="tokens sorted by increasing frequency (rarest first) instead of decreasing",
        kind="formula",
        target="build_vocab",
        edits=(("key=lambda t: (-counts[t], t)", "key=lambda t: (counts[t], t)"),),
    ),
    # ------------------------------------------------------------------ q2
    Mutant(
        name="pad_batch_mask_off_by_one",
        question="q2",
        description="mask uses <= lengths: the first padding position of every shorter row is marked as a real token",
        kind="formula",
        target="pad_batch",
        edits=(
            (
                "torch.arange(ids.shape[1])[None, :] < lengths[:, None]",
                "torch.arange(ids.shape[1])[None, :] <= lengths[:, None]",
            ),
        ),
        rerun=(CLS_TRAIN, NER_TRAIN, NER_F1),
    ),
    Mutant(
        name="pad_batch_sorts_callers_list",
        question="q2",
        description="pad_batch sorts the caller's list of sequences by length in place (for packing), so rows come back reordered",
        kind="in_place",
        target="pad_batch",
        edits=(
            (
                "    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.long)",
                "    sequences.sort(key=len, reverse=True)\n"
                "    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.long)",
            ),
        ),
        rerun=(CLS_TRAIN, NER_TRAIN, NER_F1, TR_TRAIN, TR_VAL),
    ),
    Mutant(
        name="encode_unknown_to_pad_id",
        question="q2",
        description="out-of-vocabulary tokens get id 0 (vocab.get default 0, the <pad> id) instead of vocab[UNK]",
        kind="formula",
        target="encode",
        edits=(("vocab.get(token, unk)", "vocab.get(token, 0)"),),
        rerun=(NER_F1, TR_VAL),
    ),
    Mutant(
        name="pad_batch_ids_float",
        question="q2",
        description="ids tensor created with torch.zeros(...).fill_(pad_id): ids are float32 instead of torch.long",
        kind="formula",
        target="pad_batch",
        edits=(
            (
                "ids = torch.full((len(sequences), int(lengths.max())), pad_id, dtype=torch.long)",
                "ids = torch.zeros(len(sequences), int(lengths.max())).fill_(pad_id)",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q3
    Mutant(
        name="embedding_matrix_float64",
        question="q3",
        description="embedding matrix built in float64 (numpy default dtype) instead of torch.float32",
        kind="formula",
        target="embedding_matrix",
        edits=(
            (
                'np.asarray(navec["<unk>"], dtype=np.float32)',
                'np.asarray(navec["<unk>"], dtype=np.float64)',
            ),
        ),
    ),
    Mutant(
        name="embedding_oov_rows_random",
        question="q3",
        description="rows of tokens missing from navec (and <unk>/<bos>/<eos>) randomly initialised with torch.randn instead of navec['<unk>']",
        kind="formula",
        target="embedding_matrix",
        edits=(
            (
                "matrix = unk.repeat(len(vocab), 1)",
                "matrix = torch.randn(len(vocab), unk.shape[0])",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    Mutant(
        name="embedding_special_rows_zero",
        question="q3",
        description="all special tokens (<pad>, <unk>, <bos>, <eos>) get zero rows, not only <pad>",
        kind="formula",
        target="embedding_matrix",
        edits=(
            (
                "    matrix[vocab[PAD]] = 0.0",
                "    for special in SPECIALS:\n"
                "        if special in vocab:\n"
                "            matrix[vocab[special]] = 0.0",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    # ------------------------------------------------------------------ q4
    Mutant(
        name="cloze_mean_without_zero_guard",
        question="q4",
        description="mean of known-token embeddings divides by the count without clamp: a text of only <unk> tokens gives NaN logits",
        kind="tolerance",
        target="ClozeClassifier",
        edits=(("known.sum(dim=1).clamp(min=1)[:, None]", "known.sum(dim=1)[:, None]"),),
        rerun=(CLS_TRAIN,),
    ),
    Mutant(
        name="cloze_finetunes_callers_embeddings",
        question="q4",
        description="from_pretrained(freeze=False) shares storage with the caller's matrix: training overwrites the embeddings tensor passed in (cls_embeddings)",
        kind="in_place",
        target="ClozeClassifier",
        edits=(("freeze=True", "freeze=False"),),
        rerun=(CLS_TRAIN,),
    ),
    Mutant(
        name="cloze_embedding_random_init",
        question="q4",
        description="nn.Embedding created with the matrix's shape but randomly initialised: the pretrained navec vectors are never used",
        kind="outcome",
        target="ClozeClassifier",
        edits=(
            (
                "nn.Embedding.from_pretrained(embeddings, freeze=True, padding_idx=0)",
                "nn.Embedding(embeddings.shape[0], embeddings.shape[1], padding_idx=0)",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    Mutant(
        name="cloze_batchnorm_batch_stats_in_eval",
        question="q4",
        description="BatchNorm1d(track_running_stats=False) in the head: in eval mode logits use the current batch's statistics (depend on the other texts; a single text fails)",
        kind="mode",
        target="ClozeClassifier",
        edits=(
            (
                "nn.Sequential(nn.Dropout(0.3),",
                "nn.Sequential(nn.BatchNorm1d(256 + embeddings.shape[1], track_running_stats=False), nn.Dropout(0.3),",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    # ------------------------------------------------------------------ q5
    Mutant(
        name="span_f1_positional_matching",
        question="q5",
        description="hits counted by pairing the i-th true and i-th predicted span of each sentence (zip) instead of set intersection",
        kind="formula",
        target="span_f1",
        edits=(
            (
                "hits = len(true & pred)",
                "hits = sum(t == p for ts, ps in zip(true_tags, pred_tags) "
                "for t, p in zip(bio_to_spans(ts), bio_to_spans(ps)))",
            ),
        ),
    ),
    Mutant(
        name="bio_spans_sorted",
        question="q5",
        description="bio_to_spans returns sorted(spans) (by type, then start) instead of the order of appearance",
        kind="formula",
        target="bio_to_spans",
        edits=(("    return spans", "    return sorted(spans)"),),
    ),
    Mutant(
        name="span_f1_arithmetic_mean",
        question="q5",
        description="F1 computed as the arithmetic mean (P + R) / 2 instead of the harmonic mean",
        kind="formula",
        target="span_f1",
        edits=(
            (
                "f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0",
                "f1 = (precision + recall) / 2",
            ),
        ),
    ),
    Mutant(
        name="bio_repairs_callers_orphan_i",
        question="q5",
        description="an I-X that starts a new entity is rewritten to B-X in the caller's tag list in place",
        kind="in_place",
        target="bio_to_spans",
        edits=(
            (
                '        if prefix in ("B", "I"):',
                '        if prefix == "I":\n'
                '            tags[i] = "B-" + label\n'
                '        if prefix in ("B", "I"):',
            ),
        ),
    ),
    # ------------------------------------------------------------------ q6
    Mutant(
        name="ner_word_embedding_sized_from_global_vocab",
        question="q6",
        description="word embedding sized len(ner_word_vocab) (global) instead of the n_words argument",
        kind="formula",
        target="NerTagger",
        edits=(
            (
                "nn.Embedding(n_words, 64, padding_idx=0)",
                "nn.Embedding(len(ner_word_vocab), 64, padding_idx=0)",
            ),
        ),
    ),
    Mutant(
        name="ner_word_embeddings_detached",
        question="q6",
        description="word embeddings detached before the LSTM: the word embedding table is never trained",
        kind="graph",
        target="NerTagger",
        edits=(("self.words(word_ids)", "self.words(word_ids).detach()"),),
        rerun=(NER_TRAIN, NER_F1),
    ),
    Mutant(
        name="ner_val_f1_mean_over_sentences",
        question="q6",
        description="ner_val_f1 is the mean of per-sentence span_f1 F1 scores instead of one corpus-level (micro) span_f1 call",
        kind="formula",
        target=NER_F1,
        edits=(
            (
                "ner_val_f1 = span_f1([tags for _, tags in ner_val], tag_sentences([tokens for tokens, _ in ner_val]))[2]",
                "ner_val_f1 = float(np.mean([span_f1([tags], tag_sentences([tokens]))[2] for tokens, tags in ner_val]))",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q7
    Mutant(
        name="attention_mask_direction_inverted",
        question="q7",
        description="scores filled with -inf where mask is True (real tokens) instead of on padding",
        kind="formula",
        target="attention",
        edits=(('masked_fill(~mask, float("-inf"))', 'masked_fill(mask, float("-inf"))'),),
        rerun=(TR_TRAIN, TR_VAL),
    ),
    Mutant(
        name="attention_manual_softmax_overflow",
        question="q7",
        description="softmax written as exp(s) / sum exp(s) without subtracting the maximum: large scores overflow to inf/NaN",
        kind="tolerance",
        target="attention",
        edits=(
            (
                "weights = torch.softmax(scores, dim=1)",
                "weights = scores.exp() / scores.exp().sum(dim=1, keepdim=True)",
            ),
        ),
        rerun=(TR_TRAIN, TR_VAL),
    ),
    Mutant(
        name="attention_scores_from_values",
        question="q7",
        description="scores computed as dot products of the query with values instead of keys",
        kind="formula",
        target="attention",
        edits=(("torch.bmm(keys, query.unsqueeze(2))", "torch.bmm(values, query.unsqueeze(2))"),),
    ),
    # ------------------------------------------------------------------ q8
    Mutant(
        name="seq2seq_init_state_mean_over_padding",
        question="q8",
        description="decoder initial state from the mean of enc_out over all T positions (padding included) instead of the final GRU states",
        kind="formula",
        target="Seq2Seq",
        edits=(
            (
                "h = torch.tanh(self.init_h(torch.cat([h_n[0], h_n[1]], dim=1)))",
                "h = torch.tanh(self.init_h(enc_out.mean(dim=1)))",
            ),
        ),
        rerun=(TR_TRAIN, TR_VAL),
    ),
    Mutant(
        name="seq2seq_decoder_uses_source_embedding",
        question="q8",
        description="decode_step embeds y_prev with the source embedding table (copy-paste): breaks when tgt_vocab_size > src_vocab_size",
        kind="outcome",
        target="Seq2Seq",
        edits=(("self.tgt_emb(y_prev)", "self.src_emb(y_prev)"),),
        rerun=(TR_TRAIN, TR_VAL),
    ),
    Mutant(
        name="seq2seq_loss_label_smoothing",
        question="q8",
        description="cross-entropy with label_smoothing=0.1 instead of the plain cross-entropy",
        kind="formula",
        target="seq2seq_loss",
        edits=(
            (
                "targets.reshape(-1), ignore_index=pad_id",
                "targets.reshape(-1), ignore_index=pad_id, label_smoothing=0.1",
            ),
        ),
        rerun=(TR_TRAIN, TR_VAL),
    ),
    Mutant(
        name="seq2seq_attention_memory_detached",
        question="q8",
        description="forward detaches enc_out before decoding: no gradient reaches the encoder through attention",
        kind="graph",
        target="Seq2Seq",
        edits=(
            (
                "        enc_out, mask, h = self.encode(src, src_lengths)\n        steps = []",
                "        enc_out, mask, h = self.encode(src, src_lengths)\n"
                "        enc_out = enc_out.detach()\n"
                "        steps = []",
            ),
        ),
        rerun=(TR_TRAIN, TR_VAL),
    ),
    Mutant(
        name="seq2seq_decode_step_returns_old_state",
        question="q8",
        description="decode_step computes h_new but returns the incoming h: the decoder state never advances",
        kind="formula",
        target="Seq2Seq",
        edits=(
            (
                "        h = self.cell(torch.cat([self.tgt_emb(y_prev), context], dim=1), h)\n"
                "        context, _ = attention(self.to_query(h), enc_out, enc_out, mask)\n"
                "        return self.out(torch.cat([h, context], dim=1)), h",
                "        h_new = self.cell(torch.cat([self.tgt_emb(y_prev), context], dim=1), h)\n"
                "        context, _ = attention(self.to_query(h_new), enc_out, enc_out, mask)\n"
                "        return self.out(torch.cat([h_new, context], dim=1)), h",
            ),
        ),
        rerun=(TR_TRAIN, TR_VAL),
    ),
    # ------------------------------------------------------------------ q9
    Mutant(
        name="greedy_without_no_grad",
        question="q9",
        description="decoding runs without torch.no_grad(): the model is called with gradients enabled and graphs are built",
        kind="graph",
        target="greedy_decode",
        edits=((GREEDY_BODY, GREEDY_BODY_WITH_GRAD),),
    ),
    Mutant(
        name="greedy_encodes_every_step",
        question="q9",
        description="model.encode called inside the loop at every step, resetting the decoder state to the initial one",
        kind="loop",
        target="greedy_decode",
        edits=(
            (
                "        enc_out, mask, h = model.encode(src, src_lengths)\n        y = ",
                "        y = ",
            ),
            (
                "        for _ in range(max_len):\n",
                "        for _ in range(max_len):\n            enc_out, mask, h = model.encode(src, src_lengths)\n",
            ),
        ),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="greedy_keeps_bos",
        question="q9",
        description="each output list is initialised with bos_id, so <bos> is returned as the first token",
        kind="formula",
        target="greedy_decode",
        edits=(
            (
                "outputs = [[] for _ in range(src.shape[0])]",
                "outputs = [[bos_id] for _ in range(src.shape[0])]",
            ),
        ),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="greedy_returns_tensor_ids",
        question="q9",
        description="output lists hold 0-d tensors (y[row]) instead of Python ints (.item())",
        kind="formula",
        target="greedy_decode",
        edits=(("outputs[row].append(y[row].item())", "outputs[row].append(y[row])"),),
    ),
    # ------------------------------------------------------------------ q10
    Mutant(
        name="bleu_weights_quarter_hardcoded",
        question="q10",
        description="sum of log precisions divided by 4 instead of max_n (weights 1/4 hard-coded)",
        kind="formula",
        target="corpus_bleu",
        edits=(("/ max_n", "/ 4"),),
    ),
    Mutant(
        name="bleu_precision_over_reference_ngrams",
        question="q10",
        description="precision denominator counts the reference n-grams instead of the hypothesis n-grams",
        kind="formula",
        target="corpus_bleu",
        edits=(
            (
                "totals[n - 1] += sum(hyp_ngrams.values())",
                "totals[n - 1] += sum(ref_ngrams.values())",
            ),
        ),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="bleu_brevity_from_last_pair",
        question="q10",
        description="c and r assigned (not accumulated) inside the loop: the brevity penalty uses only the last sentence pair",
        kind="loop",
        target="corpus_bleu",
        edits=(
            (
                "        for n in range(1, max_n + 1):",
                "        c, r = len(hyp), len(ref)\n        for n in range(1, max_n + 1):",
            ),
            (
                "    c = sum(len(h) for h in hypotheses)\n    r = sum(len(ref) for ref in references)\n",
                "",
            ),
        ),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="bleu_ngrams_joined_without_separator",
        question="q10",
        description="n-grams keyed by ''.join(tokens): different token splits with the same characters collide (e.g. ('a','bc') == ('ab','c'))",
        kind="tolerance",
        target="corpus_bleu",
        edits=(
            ("tuple(hyp[i : i + n])", '"".join(hyp[i : i + n])'),
            ("tuple(ref[i : i + n])", '"".join(ref[i : i + n])'),
        ),
    ),
    # ------------------------------------------------------------------ q11
    Mutant(
        name="translator_val_bleu_max_n_two",
        question="q11",
        description="translator_val_bleu computed with max_n=2 instead of the default 4-gram BLEU",
        kind="formula",
        target=TR_VAL,
        edits=(("[list(p) for p in _val_pred])", "[list(p) for p in _val_pred], max_n=2)"),),
    ),
    Mutant(
        name="translator_val_bleu_refs_from_source",
        question="q11",
        description="BLEU references taken from the source words (s for s, _) instead of the target digits",
        kind="formula",
        target=TR_VAL,
        edits=(
            (
                "corpus_bleu([t for _, t in translator_val]",
                "corpus_bleu([s for s, _ in translator_val]",
            ),
        ),
    ),
    Mutant(
        name="translator_val_exact_list_vs_string",
        question="q11",
        description="exact match compares the list of target digit tokens with the predicted string, so it is never true",
        kind="formula",
        target=TR_VAL,
        edits=(('"".join(t) == p', "t == p"),),
    ),
]
