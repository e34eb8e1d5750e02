"""Common student mistakes in hw03, kept as plain data for the mutation harness.

A mutant is one mistake in one solution definition: its `name`, a one-line `description`,
the `question` whose tests aim at it, the `function` (a top-level def or class) it replaces
and the `(old, new)` snippet edits that turn the solution's definition into the mistaken
one (every occurrence of `old` inside that definition becomes `new`). The mutant must fail
tests of `question`; it may also fail tests of the `downstream` questions, whose answers
the notebook builds from the broken piece (a trained model used through it); every other
test must still pass. `rerun` names notebook cells (by a snippet) to execute again.
Trained models are not retrained: they keep their weights and take the edited class.
"""

from __future__ import annotations

from dataclasses import dataclass

Edit = tuple[str, str]

TRANSLATOR_TRAINING = ("translator = Seq2Seq(", "translator_val_exact = ")
CLASSIFIER_TRAINING = ("cls_model = ClozeClassifier(",)
TAGGER_TRAINING = ("ner_model = NerTagger(", "ner_val_f1 = ")
# cells that report a metric of a trained model: cheap, computed again for any mutant they reach
REPORTED = ("ner_val_f1 = ", "_val_pred = translate")


@dataclass(frozen=True)
class Mutant:
    name: str
    description: str
    question: str
    function: str
    edits: tuple[Edit, ...]
    downstream: frozenset[str] = frozenset()
    rerun: tuple[str, ...] = ()

    @property
    def questions(self) -> frozenset[str]:
        return self.downstream | {self.question}


def m(name, description, question, function, *edits, downstream=(), rerun=()) -> Mutant:
    return Mutant(name, description, question, function, edits, frozenset(downstream), rerun)


MUTANTS = [
    # ---- q1 build_vocab
    m("vocab_min_freq_strict", "keeps tokens seen more than min_freq times, not at least",
      "q1", "build_vocab", ("c >= min_freq", "c > min_freq")),
    m("vocab_specials_sorted", "sorts the special tokens instead of keeping their order",
      "q1", "build_vocab", ("enumerate(specials)", "enumerate(sorted(specials))")),
    m("vocab_ties_by_first_occurrence", "breaks frequency ties by first occurrence, not alphabetically",
      "q1", "build_vocab", ("key=lambda t: (-counts[t], t)", "key=lambda t: -counts[t]")),
    m("vocab_document_frequency", "counts texts containing a token instead of its occurrences",
      "q1", "build_vocab", ("for token in tokens)", "for token in set(tokens))")),
    m("vocab_ascending_frequency", "puts rare tokens first",
      "q1", "build_vocab", ("(-counts[t], t)", "(counts[t], t)")),
    m("vocab_special_added_twice", "adds a special token met in the text a second time",
      "q1", "build_vocab", (" and t not in vocab", "")),
    # ---- q2 encode, pad_batch
    m("encode_keeps_existing_bos", "adds <bos> only when the tokens do not start with it already",
      "q2", "encode", ("    if add_bos:\n", "    if add_bos and tokens[:1] != [BOS]:\n")),
    m("pad_batch_caps_length", "cuts every sequence to a hard-coded 64 ids",
      "q2", "pad_batch", ("lengths = torch.tensor([len(s) for s in sequences], dtype=torch.long)",
                          "sequences = [s[:64] for s in sequences]\n    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.long)")),
    m("encode_drops_unknown", "drops unknown tokens instead of mapping them to <unk>",
      "q2", "encode", ("[vocab.get(token, unk) for token in tokens]", "[vocab[t] for t in tokens if t in vocab]")),
    m("encode_forgets_eos", "ignores add_eos",
      "q2", "encode", ("ids = ids + [vocab[EOS]]", "ids = ids")),
    m("encode_bos_at_end", "appends <bos> instead of prepending it",
      "q2", "encode", ("ids = [vocab[BOS]] + ids", "ids = ids + [vocab[BOS]]")),
    m("pad_lengths_are_padded", "returns the padded length for every sequence",
      "q2", "pad_batch", ("return ids, lengths, mask", "return ids, torch.full_like(lengths, ids.shape[1]), mask")),
    m("pad_on_the_left", "aligns sequences to the right, padding on the left",
      "q2", "pad_batch", ("ids[row, : len(seq)] =", "ids[row, ids.shape[1] - len(seq) :] ="),
      downstream=("q9", "q11")),
    m("pad_mask_inverted", "marks padding True and tokens False",
      "q2", "pad_batch", ("< lengths[:, None]", ">= lengths[:, None]")),
    m("pad_ignores_pad_id", "always pads with 0",
      "q2", "pad_batch", ("int(lengths.max())), pad_id,", "int(lengths.max())), 0,")),
    # ---- q3 embedding matrix and the classifier's vocabulary
    m("embedding_pad_not_zero", "gives <pad> the <unk> vector instead of zeros",
      "q3", "embedding_matrix", ("    matrix[vocab[PAD]] = 0.0\n", "")),
    m("embedding_oov_zero", "gives words missing from navec a zero vector",
      "q3", "embedding_matrix", ("matrix = unk.repeat(len(vocab), 1)", "matrix = torch.zeros(len(vocab), unk.shape[0])")),
    m("embedding_rows_shifted", "writes each vector one row below its id",
      "q3", "embedding_matrix", ("matrix[i] = torch.from_numpy", "matrix[(i + 1) % len(vocab)] = torch.from_numpy")),
    m("vocab_built_on_test_data", "builds the classifier vocabulary on the held-out texts too",
      "q3", "cls_vocab", ("for text, _ in cls_train]", "for text, _ in cls_train + load_cloze(heldout=True)]")),
    # ---- q4 classifier
    m("classifier_reseeds_in_init", "seeds the global generator in __init__: every model starts alike, the caller's seed ignored",
      "q4", "ClozeClassifier", ("        self.embedding = nn.Embedding.from_pretrained(", "        torch.manual_seed(0)\n        self.embedding = nn.Embedding.from_pretrained(")),
    m("classifier_mean_over_padding", "averages over padded positions too",
      "q4", "ClozeClassifier", ("known = mask & (ids != 1)", "known = torch.ones_like(mask)")),
    m("classifier_max_over_padding", "max-pools over padded positions",
      "q4", "ClozeClassifier", ("conv.masked_fill(~mask[..., None], 0.0)", "conv")),
    m("classifier_random_embeddings", "uses random frozen embeddings instead of navec",
      "q4", "ClozeClassifier", ("from_pretrained(embeddings,", "from_pretrained(torch.randn_like(embeddings),")),
    m("classifier_normalizes_callers_matrix", "L2-normalizes the embedding rows in place, through the weight it shares with the caller's matrix",
      "q4", "ClozeClassifier",
      ("padding_idx=0)\n", "padding_idx=0)\n        self.embedding.weight.data /= self.embedding.weight.data.norm(dim=1, keepdim=True).clamp(min=1e-8)\n")),
    m("classifier_not_trained", "never runs the training epochs",
      "q4", "train_classifier", ("for _ in range(n_epochs):", "for _ in range(0):"), rerun=CLASSIFIER_TRAINING),
    # ---- q5 BIO spans and entity F1
    m("bio_merges_adjacent_entities", "lets B-X continue an entity of type X",
      "q5", "bio_to_spans", ('if prefix == "I" and kind == label:', 'if prefix in ("B", "I") and kind == label:')),
    m("bio_drops_orphan_inside", "ignores I-X that does not follow B-X",
      "q5", "bio_to_spans", ('if prefix in ("B", "I"):', 'if prefix == "B":')),
    m("bio_continues_across_types", "lets I-Y continue an entity of type X",
      "q5", "bio_to_spans", ('if prefix == "I" and kind == label:', 'if prefix == "I" and kind is not None:')),
    m("bio_end_inclusive", "returns inclusive span ends",
      "q5", "bio_to_spans", ("spans.append((kind, start, i))", "spans.append((kind, start, i - 1))")),
    m("f1_ignores_entity_type", "matches spans by boundaries only",
      "q5", "span_f1", ("(s, *span)", "(s, *span[1:])")),
    m("f1_precision_recall_swapped", "divides by the true count for precision and vice versa",
      "q5", "span_f1", ("precision = hits", "recall_ = hits"), ("recall = hits", "precision = hits"),
      ("recall_ = hits", "recall = hits")),
    # ---- q6 tagger
    m("tagger_probabilities_in_eval", "returns softmax probabilities in eval mode (the argmax is the same)",
      "q6", "NerTagger", ("        return self.out(out)\n", "        out = self.out(out)\n        return out if self.training else out.softmax(dim=-1)\n")),
    m("tagger_packs_by_nonzero_ids", "packing lengths counted from word ids that are not 0: the mask is ignored",
      "q6", "NerTagger", ("lengths = mask.sum(dim=1)", "lengths = (word_ids != 0).sum(dim=1)")),
    m("tagger_chars_cut_to_last_columns", "keeps the last 8 character columns of left-aligned words",
      "q6", "NerTagger", ("B, T, C = char_ids.shape", "char_ids = char_ids[:, :, -8:]\n        B, T, C = char_ids.shape")),
    m("tagger_not_trained", "never runs the training epochs",
      "q6", "train_tagger", ("for _ in range(n_epochs):", "for _ in range(0):"), rerun=TAGGER_TRAINING),
    m("tagger_trained_on_a_sliver", "trains on one thirtieth of the sentences",
      "q6", "train_tagger", ("range(0, len(sentences), batch_size)", "range(0, len(sentences) // 30, batch_size)"),
      rerun=TAGGER_TRAINING),
    m("tagger_memorizes_words", "tags from the word alone: no context, no characters",
      "q6", "NerTagger",
      ("out, _ = self.lstm(packed)", "out = packed"),
      ("out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=T)",
       "out = torch.cat([self.words(word_ids)] * 2, dim=2)"),
      rerun=TAGGER_TRAINING),
    m("tagger_word_dropout_in_place", "word dropout in train mode written into the caller's word ids",
      "q6", "NerTagger",
      ("B, T, C = char_ids.shape\n", "B, T, C = char_ids.shape\n        if self.training:\n            word_ids.masked_fill_((torch.rand(word_ids.shape) < 0.1) & mask, 1)\n")),
    m("tagger_zeroes_callers_padding", "writes <pad> into the caller's word ids where the mask is False",
      "q6", "NerTagger", ("        B, T, C = char_ids.shape\n", "        word_ids.masked_fill_(~mask, 0)\n        B, T, C = char_ids.shape\n")),
    # ---- q7 attention
    m("attention_mask_as_prefix", "rebuilds the mask as a prefix of its number of True positions",
      "q7", "attention", ("scores.masked_fill(~mask,", "scores.masked_fill(torch.arange(mask.shape[1])[None, :] >= mask.sum(1, keepdim=True),")),
    m("attention_softmax_over_padding", "takes the softmax over padded positions too",
      "q7", "attention", ('scores = scores.masked_fill(~mask, float("-inf"))', "scores = scores")),
    m("attention_wrong_axis", "normalizes the weights over the batch axis",
      "q7", "attention", ("torch.softmax(scores, dim=1)", "torch.softmax(scores, dim=0)"),
      downstream=("q8",)),  # Seq2Seq attends with it: each example then depends on its batch
    m("attention_mask_after_softmax", "zeroes padded weights after the softmax without renormalizing",
      "q7", "attention",
      ('scores = scores.masked_fill(~mask, float("-inf"))', "scores = scores"),
      ("weights = torch.softmax(scores, dim=1)", "weights = torch.softmax(scores, dim=1) * mask")),
    m("attention_scaled", "divides the scores by sqrt(H) although the task says unscaled",
      "q7", "attention", (".squeeze(2)\n", ".squeeze(2) / math.sqrt(query.shape[1])\n")),
    m("attention_mask_as_zero_score", "multiplies scores by the mask (score 0, not -inf)",
      "q7", "attention", ('scores.masked_fill(~mask, float("-inf"))', "scores * mask")),
    m("attention_weights_in_float32", "computes the weights in float32 and casts them back (float64 loses its precision)",
      "q7", "attention", ("torch.softmax(scores, dim=1)", "torch.softmax(scores.float(), dim=1).to(scores.dtype)"),
      downstream=("q8",)),  # Seq2Seq attends with it: its float64 gradients lose precision
    # ---- q8 seq2seq model and loss
    m("seq2seq_fixed_emb_dim", "sizes its embeddings 64 whatever emb_dim says",
      "q8", "Seq2Seq", ("emb_dim=64, hidden=128):\n        super().__init__()\n", "emb_dim=64, hidden=128):\n        super().__init__()\n        emb_dim = 64\n")),
    m("encoder_forward_direction_only", "keeps only the forward direction of the encoder (its half twice, to keep the shapes)",
      "q8", "Seq2Seq",
      ("        h = torch.tanh(self.init_h(torch.cat([h_n[0], h_n[1]], dim=1)))\n",
       "        enc_out = torch.cat([enc_out[..., : h_n.shape[2]]] * 2, dim=2)\n        h = torch.tanh(self.init_h(torch.cat([h_n[0], h_n[0]], dim=1)))\n"),
      downstream=("q9", "q11")),
    m("loss_counts_pad", "averages the loss over padded positions too",
      "q8", "seq2seq_loss", (", ignore_index=pad_id", "")),
    m("loss_sums", "sums the loss instead of averaging over real tokens",
      "q8", "seq2seq_loss", ("ignore_index=pad_id", 'ignore_index=pad_id, reduction="sum"')),
    m("encoder_mask_all_true", "returns a mask that lets attention see the padding",
      "q8", "Seq2Seq", ("return enc_out, src != 0, h", "return enc_out, torch.ones_like(src, dtype=torch.bool), h")),
    m("encoder_mask_hides_unk", "masks <unk> source words too (src > 1): unknown words hidden from attention",
      "q8", "Seq2Seq", ("return enc_out, src != 0, h", "return enc_out, src > 1, h")),
    m("decode_step_returns_probabilities", "decode_step returns softmax probabilities, not logits (the argmax is the same)",
      "q8", "Seq2Seq", ("return self.out(torch.cat([h, context], dim=1)), h", "return self.out(torch.cat([h, context], dim=1)).softmax(dim=1), h")),
    m("seq2seq_stops_at_padding_column", "teacher forcing stops at the first all-<pad> column: fewer steps come back",
      "q8", "Seq2Seq", ("        for t in range(tgt_in.shape[1]):\n", "        for t in range(tgt_in.shape[1]):\n            if (tgt_in[:, t] == 0).all():\n                break\n")),
    m("no_teacher_forcing", "feeds the model's own predictions in forward",
      "q8", "Seq2Seq",
      ("self.decode_step(tgt_in[:, t], h, enc_out, mask)",
       "self.decode_step(tgt_in[:, 0] if t == 0 else logits.argmax(dim=1), h, enc_out, mask)")),
    # ---- q9 greedy decoding
    m("greedy_never_stops", "keeps decoding and emitting tokens after <eos>",
      "q9", "greedy_decode", ("if not done[row] and y[row].item() != eos_id:", "if True:"),
      downstream=("q11",)),
    m("greedy_keeps_eos", "includes <eos> in the output",
      "q9", "greedy_decode", ("if not done[row] and y[row].item() != eos_id:", "if not done[row]:"),
      downstream=("q11",)),
    m("greedy_stops_with_first_sequence", "stops the batch when any sequence ends",
      "q9", "greedy_decode", ("if done.all():", "if done.any():"),
      downstream=("q11",)),
    m("greedy_one_step_short", "decodes at most max_len - 1 tokens",
      "q9", "greedy_decode", ("for _ in range(max_len):", "for _ in range(max_len - 1):")),
    m("greedy_model_left_in_train", "never puts the model it is given in eval mode (the notebook's translator is)",
      "q9", "greedy_decode", ("    model.eval()\n", "    translator.eval()\n")),
    m("greedy_switches_grad_off", "torch.set_grad_enabled(False) for `with torch.no_grad()`: gradients stay off after it",
      "q9", "greedy_decode", ("    with torch.no_grad():\n", "    torch.set_grad_enabled(False)\n    if True:\n")),
    m("greedy_never_stops_early", "decodes max_len steps even after every row ended (the output cut right)",
      "q9", "greedy_decode", ("            if done.all():\n                break\n", "")),
    m("greedy_reseeds", "calls torch.manual_seed(0) «for reproducibility»: the caller's generator is reset",
      "q9", "greedy_decode", ("    model.eval()\n", "    torch.manual_seed(0)\n    model.eval()\n")),
    m("greedy_done_not_kept", "a row's end is forgotten at the next step (done = ... for done |= ...): it collects tokens again",
      "q9", "greedy_decode", ("done |= y == eos_id", "done = y == eos_id")),
    m("greedy_freezes_model", "calls model.requires_grad_(False) «for inference»: the caller's model stops learning",
      "q9", "greedy_decode", ("    model.eval()\n", "    model.eval()\n    model.requires_grad_(False)\n")),
    # ---- q10 corpus BLEU
    m("bleu_skips_orders_without_ngrams", "averages over the orders the hypotheses have n-grams of, instead of BLEU 0",
      "q10", "corpus_bleu",
      ("    if min(matches) == 0:\n        return 0.0\n    log_precision = sum(math.log(m / t) for m, t in zip(matches, totals)) / max_n\n",
       "    used = [(m, t) for m, t in zip(matches, totals) if t > 0]\n    if not used or min(m for m, _ in used) == 0:\n        return 0.0\n    log_precision = sum(math.log(m / t) for m, t in used) / len(used)\n")),
    m("bleu_without_brevity_penalty", "forgets the brevity penalty",
      "q10", "corpus_bleu", ("brevity = 1.0 if c > r else math.exp(1.0 - r / c)", "brevity = 1.0")),
    m("bleu_brevity_inverted", "computes the penalty as exp(1 - c / r)",
      "q10", "corpus_bleu", ("math.exp(1.0 - r / c)", "math.exp(1.0 - c / r)")),
    m("bleu_unclipped_counts", "counts every matching n-gram without clipping",
      "q10", "corpus_bleu", ("min(c, ref_ngrams[g])", "(c if ref_ngrams[g] else 0)")),
    m("bleu_arithmetic_mean", "averages the precisions arithmetically",
      "q10", "corpus_bleu",
      ("sum(math.log(m / t) for m, t in zip(matches, totals)) / max_n",
       "math.log(sum(m / t for m, t in zip(matches, totals)) / max_n)")),
    # ---- q11 translator quality
    # (no learning-rate mutant: it edits the ready-made train_translator, not an answer, and its
    # retraining cost 14 s of the folder's 3-minute budget; the two below keep the kind)
    m("translator_not_trained", "never runs the training epochs",
      "q11", "train_translator", ("for _ in range(n_epochs):", "for _ in range(0):"),
      downstream=("q9",), rerun=TRANSLATOR_TRAINING),
    m("translator_trained_on_a_sliver", "trains on one twentieth of the pairs",
      "q11", "train_translator",
      ("range(0, len(pairs), batch_size)", "range(0, len(pairs) // 20, batch_size)"),
      downstream=("q9",), rerun=TRANSLATOR_TRAINING),
    # the reported cell itself edited (its snippet gone): the edit is what the tests see
    m("translator_val_tail_dropped", "reports the metrics on the full batches of 64 only: the tail never translated",
      "q11", "translator_val_exact",
      ('_val_pred = translate([" ".join(src) for src, _ in translator_val])',
       '_val_pred = [p for b in range(len(translator_val) // 64) for p in translate([" ".join(src) for src, _ in translator_val[64 * b : 64 * b + 64]])]')),
]  # fmt: skip
