"""Blind round 2 for hw03 (issue #26): written by a helper who read only the task text, the reference solution and the names of round 1 (tests/mutation/blind_kit.py), never the tests."""

from mutation.harness import Mutant

# answer cells re-executed after an edit so that graded objects reflect the mistake
CLS_VOCAB_CELL = "cls_vocab = build_vocab("
CLS_TRAIN_CELL = "cls_model = ClozeClassifier(cls_embeddings"
NER_TRAIN_CELL = "ner_model = NerTagger("
NER_F1_CELL = "ner_val_f1 = span_f1"
TRANSLATOR_TRAIN_CELL = "translator = Seq2Seq("
TRANSLATOR_VAL_CELL = "_val_pred = translate("

MUTANTS = [
    # ------------------------------------------------------------------ q1
    Mutant(
        name="vocab_document_frequency",
        question="q1",
        description="token counts are document frequencies (each token counted once per text) instead of total counts",
        kind="formula",
        target="build_vocab",
        edits=(("for token in tokens)", "for token in set(tokens))"),),
        rerun=(CLS_VOCAB_CELL, CLS_TRAIN_CELL),
    ),
    Mutant(
        name="vocab_special_token_readded",
        question="q1",
        description="a corpus token equal to a special token is added again, overwriting its id and breaking contiguous ids",
        kind="tolerance",
        target="build_vocab",
        edits=(("if c >= min_freq and t not in vocab]", "if c >= min_freq]"),),
        rerun=(),
    ),
    Mutant(
        name="vocab_min_freq_ignored",
        question="q1",
        description="min_freq argument ignored: every token that occurs at least once is kept",
        kind="loop",
        target="build_vocab",
        edits=(("c >= min_freq", "c >= 1"),),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q2
    Mutant(
        name="encode_special_ids_hardcoded",
        question="q2",
        description="<unk>/<bos>/<eos> ids hard-coded as 1/2/3 instead of looked up in the given vocab",
        kind="tolerance",
        target="encode",
        edits=(
            ("unk = vocab[UNK]", "unk = 1"),
            ("[vocab[BOS]]", "[2]"),
            ("[vocab[EOS]]", "[3]"),
        ),
        rerun=(),
    ),
    Mutant(
        name="encode_setdefault_grows_vocab",
        question="q2",
        description="vocab.setdefault used instead of vocab.get: unknown tokens are inserted into the caller's vocab",
        kind="in_place",
        target="encode",
        edits=(("vocab.get(token, unk)", "vocab.setdefault(token, unk)"),),
        rerun=(),
    ),
    Mutant(
        name="pad_batch_right_aligned",
        question="q2",
        description="sequences padded on the left (right-aligned), mask shifted accordingly",
        kind="formula",
        target="pad_batch",
        edits=(
            ("ids[row, : len(seq)]", "ids[row, ids.shape[1] - len(seq) :]"),
            (
                "mask = torch.arange(ids.shape[1])[None, :] < lengths[:, None]",
                "mask = torch.arange(ids.shape[1])[None, :] >= (ids.shape[1] - lengths)[:, None]",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="pad_batch_pad_id_ignored",
        question="q2",
        description="pad_id argument ignored: the tail is always filled with zeros",
        kind="loop",
        target="pad_batch",
        edits=(
            (
                "torch.full((len(sequences), int(lengths.max())), pad_id, dtype=torch.long)",
                "torch.zeros(len(sequences), int(lengths.max()), dtype=torch.long)",
            ),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q3
    Mutant(
        name="cls_vocab_min_freq_two",
        question="q3",
        description="classifier vocabulary built with min_freq=2 (rare training words dropped) although min_freq=1 is required",
        kind="outcome",
        target=CLS_VOCAB_CELL,
        edits=(("min_freq=1)", "min_freq=2)"),),
        rerun=(CLS_TRAIN_CELL,),
    ),
    Mutant(
        name="cls_vocab_whitespace_split",
        question="q3",
        description="classifier vocabulary built from text.split() instead of tokenize (punctuation and case kept)",
        kind="formula",
        target=CLS_VOCAB_CELL,
        edits=(
            (
                "[tokenize(text) for text, _ in cls_train]",
                "[text.split() for text, _ in cls_train]",
            ),
        ),
        rerun=(CLS_TRAIN_CELL,),
    ),
    Mutant(
        name="embedding_pad_row_hardcoded_zero",
        question="q3",
        description="row 0 zeroed instead of the row of vocab[PAD] (wrong when <pad> is not id 0)",
        kind="tolerance",
        target="embedding_matrix",
        edits=(("matrix[vocab[PAD]] = 0.0", "matrix[0] = 0.0"),),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q4
    Mutant(
        name="cloze_peak_mask_inverted",
        question="q4",
        description="max-pooling mask inverted: real positions zeroed, the CNN peak is taken over padding",
        kind="formula",
        target="ClozeClassifier",
        edits=(
            ("conv.masked_fill(~mask[..., None], 0.0)", "conv.masked_fill(mask[..., None], 0.0)"),
        ),
        rerun=(CLS_TRAIN_CELL,),
    ),
    Mutant(
        name="cloze_features_normalised_over_batch",
        question="q4",
        description="pooled features L2-normalised over the batch axis (dim=0), so logits depend on the other texts in the batch",
        kind="formula",
        target="ClozeClassifier",
        edits=(
            (
                "self.head(torch.cat([peak, mean], dim=1))",
                "self.head(F.normalize(torch.cat([peak, mean], dim=1), dim=0))",
            ),
        ),
        rerun=(CLS_TRAIN_CELL,),
    ),
    Mutant(
        name="cloze_uses_global_embeddings",
        question="q4",
        description="embedding layer initialised from the global cls_embeddings instead of the embeddings argument",
        kind="loop",
        target="ClozeClassifier",
        edits=(
            (
                "nn.Embedding.from_pretrained(embeddings,",
                "nn.Embedding.from_pretrained(cls_embeddings,",
            ),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q5
    Mutant(
        name="bio_end_inclusive",
        question="q5",
        description="span end stored inclusive (index of the last token) instead of exclusive",
        kind="formula",
        target="bio_to_spans",
        edits=(("spans.append((kind, start, i))", "spans.append((kind, start, i - 1))"),),
        rerun=(NER_F1_CELL,),
    ),
    Mutant(
        name="bio_consecutive_b_merged",
        question="q5",
        description="B-X right after an entity of type X continues it instead of starting a new entity",
        kind="formula",
        target="bio_to_spans",
        edits=(
            ('if prefix == "I" and kind == label:', 'if prefix in ("B", "I") and kind == label:'),
        ),
        rerun=(NER_F1_CELL,),
    ),
    Mutant(
        name="span_f1_macro_per_sentence",
        question="q5",
        description="precision and recall averaged over sentences (macro) instead of micro-averaged over the corpus",
        kind="formula",
        target="span_f1",
        edits=(
            (
                "    precision = hits / len(pred) if pred else 0.0\n"
                "    recall = hits / len(true) if true else 0.0\n",
                "    per_p, per_r = [], []\n"
                "    for s in range(len(true_tags)):\n"
                "        t_s = {x for x in true if x[0] == s}\n"
                "        p_s = {x for x in pred if x[0] == s}\n"
                "        per_p.append(len(t_s & p_s) / len(p_s) if p_s else 0.0)\n"
                "        per_r.append(len(t_s & p_s) / len(t_s) if t_s else 0.0)\n"
                "    precision = sum(per_p) / len(per_p) if per_p else 0.0\n"
                "    recall = sum(per_r) / len(per_r) if per_r else 0.0\n",
            ),
        ),
        rerun=(NER_F1_CELL,),
    ),
    Mutant(
        name="span_f1_empty_prediction_precision_one",
        question="q5",
        description="precision is 1.0 instead of 0 when nothing is predicted",
        kind="tolerance",
        target="span_f1",
        edits=(("hits / len(pred) if pred else 0.0", "hits / len(pred) if pred else 1.0"),),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q6
    Mutant(
        name="ner_char_embedding_without_padding_idx",
        question="q6",
        description="char embedding without padding_idx: the pad char vector is non-zero and trained, so the last-char conv window depends on the batch's word width",
        kind="tolerance",
        target="NerTagger",
        edits=(("nn.Embedding(n_chars, 24, padding_idx=0)", "nn.Embedding(n_chars, 24)"),),
        rerun=(NER_TRAIN_CELL, NER_F1_CELL),
    ),
    Mutant(
        name="ner_char_reshape_instead_of_transpose",
        question="q6",
        description="char embeddings reshaped to (B*T, 24, C) instead of transposed, so the conv slides over scrambled features",
        kind="formula",
        target="NerTagger",
        edits=(
            (
                "self.chars(char_ids.reshape(B * T, C)).transpose(1, 2)",
                "self.chars(char_ids.reshape(B * T, C)).reshape(B * T, 24, C)",
            ),
        ),
        rerun=(NER_TRAIN_CELL, NER_F1_CELL),
    ),
    Mutant(
        name="ner_without_char_features",
        question="q6",
        description="character CNN output never fed to the LSTM: the tagger sees word embeddings only",
        kind="formula",
        target="NerTagger",
        edits=(
            ("nn.LSTM(64 + 48, 64,", "nn.LSTM(64, 64,"),
            (
                "x = torch.cat([self.words(word_ids), char_vec.reshape(B, T, -1)], dim=2)",
                "x = self.words(word_ids)",
            ),
        ),
        rerun=(NER_TRAIN_CELL, NER_F1_CELL),
    ),
    Mutant(
        name="ner_val_f1_reports_precision",
        question="q6",
        description="ner_val_f1 takes element [0] (precision) of the span_f1 tuple instead of [2] (F1)",
        kind="formula",
        target=NER_F1_CELL,
        edits=((")[2]", ")[0]"),),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q7
    Mutant(
        name="attention_context_from_keys",
        question="q7",
        description="context computed as the weighted sum of keys instead of values",
        kind="formula",
        target="attention",
        edits=(
            ("torch.bmm(weights.unsqueeze(1), values)", "torch.bmm(weights.unsqueeze(1), keys)"),
        ),
        rerun=(),
    ),
    Mutant(
        name="attention_softmax_over_batch",
        question="q7",
        description="softmax taken over the batch axis (dim=0) instead of over T",
        kind="formula",
        target="attention",
        edits=(("torch.softmax(scores, dim=1)", "torch.softmax(scores, dim=0)"),),
        rerun=(TRANSLATOR_TRAIN_CELL, TRANSLATOR_VAL_CELL),
    ),
    Mutant(
        name="attention_weights_detached",
        question="q7",
        description="weights detached before the weighted sum: no gradient reaches query or keys through the scores",
        kind="graph",
        target="attention",
        edits=(
            (
                "torch.bmm(weights.unsqueeze(1), values)",
                "torch.bmm(weights.detach().unsqueeze(1), values)",
            ),
        ),
        rerun=(TRANSLATOR_TRAIN_CELL, TRANSLATOR_VAL_CELL),
    ),
    Mutant(
        name="attention_query_unsqueezed_in_place",
        question="q7",
        description="query.unsqueeze_(2) reshapes the caller's query tensor in place to (B, H, 1)",
        kind="in_place",
        target="attention",
        edits=(("query.unsqueeze(2)", "query.unsqueeze_(2)"),),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q8
    Mutant(
        name="seq2seq_loss_summed",
        question="q8",
        description="loss summed over real tokens instead of averaged (training still works thanks to Adam and clipping)",
        kind="outcome",
        target="seq2seq_loss",
        edits=(("ignore_index=pad_id", 'ignore_index=pad_id, reduction="sum"'),),
        rerun=(TRANSLATOR_TRAIN_CELL, TRANSLATOR_VAL_CELL),
    ),
    Mutant(
        name="seq2seq_loss_targets_shifted_twice",
        question="q8",
        description="loss shifts logits/targets by one again although tgt_out is already shifted (predicts two steps ahead)",
        kind="formula",
        target="seq2seq_loss",
        edits=(
            (
                "logits.reshape(-1, logits.shape[-1]), targets.reshape(-1)",
                "logits[:, :-1].reshape(-1, logits.shape[-1]), targets[:, 1:].reshape(-1)",
            ),
        ),
        rerun=(TRANSLATOR_TRAIN_CELL, TRANSLATOR_VAL_CELL),
    ),
    Mutant(
        name="seq2seq_initial_state_from_last_padded_step",
        question="q8",
        description="decoder initial state taken from enc_out[:, -1] (a padding position for shorter sources) instead of h_n",
        kind="formula",
        target="Seq2Seq",
        edits=(("self.init_h(torch.cat([h_n[0], h_n[1]], dim=1))", "self.init_h(enc_out[:, -1])"),),
        rerun=(TRANSLATOR_TRAIN_CELL, TRANSLATOR_VAL_CELL),
    ),
    Mutant(
        name="seq2seq_query_from_detached_state",
        question="q8",
        description="attention query built from h.detach(): no gradient flows from attention back into the decoder state",
        kind="graph",
        target="Seq2Seq",
        edits=(("self.to_query(h)", "self.to_query(h.detach())"),),
        rerun=(TRANSLATOR_TRAIN_CELL, TRANSLATOR_VAL_CELL),
    ),
    Mutant(
        name="seq2seq_loss_edits_targets_in_place",
        question="q8",
        description="loss overwrites the padding of the caller's targets with -100 in place before cross-entropy",
        kind="in_place",
        target="seq2seq_loss",
        edits=(
            (
                "    return F.cross_entropy(",
                "    targets[targets == pad_id] = -100\n    return F.cross_entropy(",
            ),
            ("ignore_index=pad_id", "ignore_index=-100"),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q9
    Mutant(
        name="greedy_stops_when_any_done",
        question="q9",
        description="decoding loop stops as soon as any sequence emitted <eos> instead of all",
        kind="loop",
        target="greedy_decode",
        edits=(("if done.all():", "if done.any():"),),
        rerun=(TRANSLATOR_VAL_CELL,),
    ),
    Mutant(
        name="greedy_no_eval_mode",
        question="q9",
        description="model.eval() not called: decoding runs in whatever mode the model is in (train after training)",
        kind="mode",
        target="greedy_decode",
        edits=(("model.eval()\n    with", "with"),),
        rerun=(TRANSLATOR_VAL_CELL,),
    ),
    Mutant(
        name="greedy_restores_train_mode",
        question="q9",
        description="model.train() called after decoding, leaving the caller's model in training mode",
        kind="mode",
        target="greedy_decode",
        edits=(("    return outputs", "    model.train()\n    return outputs"),),
        rerun=(TRANSLATOR_VAL_CELL,),
    ),
    Mutant(
        name="greedy_uses_global_translator",
        question="q9",
        description="encode/decode_step called on the global translator instead of the model argument",
        kind="loop",
        target="greedy_decode",
        edits=(
            ("model.encode(", "translator.encode("),
            ("model.decode_step(", "translator.decode_step("),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q10
    Mutant(
        name="bleu_sentence_average",
        question="q10",
        description="average of sentence-level BLEU scores instead of corpus-level counts",
        kind="formula",
        target="corpus_bleu",
        edits=(
            (
                "    matches = [0] * max_n\n",
                "    if len(references) != 1:\n"
                "        scores = [corpus_bleu([ref], [hyp], max_n) for ref, hyp in zip(references, hypotheses)]\n"
                "        return sum(scores) / len(scores) if scores else 0.0\n"
                "    matches = [0] * max_n\n",
            ),
        ),
        rerun=(TRANSLATOR_VAL_CELL,),
    ),
    Mutant(
        name="bleu_arithmetic_mean_precisions",
        question="q10",
        description="arithmetic mean of the modified precisions instead of the geometric mean",
        kind="formula",
        target="corpus_bleu",
        edits=(
            (
                "sum(math.log(m / t) for m, t in zip(matches, totals)) / max_n",
                "math.log(sum(m / t for m, t in zip(matches, totals)) / max_n)",
            ),
        ),
        rerun=(TRANSLATOR_VAL_CELL,),
    ),
    Mutant(
        name="bleu_epsilon_smoothing",
        question="q10",
        description="zero precisions smoothed with an epsilon instead of making BLEU exactly 0",
        kind="tolerance",
        target="corpus_bleu",
        edits=(
            ("    if min(matches) == 0:\n        return 0.0\n", ""),
            ("math.log(m / t)", "math.log(max(m, 1e-9) / max(t, 1))"),
        ),
        rerun=(TRANSLATOR_VAL_CELL,),
    ),
    # ------------------------------------------------------------------ q11
    Mutant(
        name="translator_val_bleu_args_swapped",
        question="q11",
        description="corpus_bleu called with hypotheses and references swapped",
        kind="formula",
        target=TRANSLATOR_VAL_CELL,
        edits=(
            (
                "corpus_bleu([t for _, t in translator_val], [list(p) for p in _val_pred])",
                "corpus_bleu([list(p) for p in _val_pred], [t for _, t in translator_val])",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="translator_val_first_100_only",
        question="q11",
        description="validation exact match and BLEU computed on the first 100 validation pairs only",
        kind="outcome",
        target=TRANSLATOR_VAL_CELL,
        edits=(("in translator_val]", "in translator_val[:100]]"),),
        rerun=(),
    ),
    Mutant(
        name="translator_val_bleu_sentence_mean",
        question="q11",
        description="translator_val_bleu is the mean of per-pair corpus_bleu calls instead of one corpus-level call",
        kind="formula",
        target=TRANSLATOR_VAL_CELL,
        edits=(
            (
                "corpus_bleu([t for _, t in translator_val], [list(p) for p in _val_pred])",
                "float(np.mean([corpus_bleu([t], [list(p)]) for (_, t), p in zip(translator_val, _val_pred)]))",
            ),
        ),
        rerun=(),
    ),
]
