"""Runs RecBole's SASRec on the exact leave-one-out split our recommender uses.

Input: the positive-engagement sequences in the common sequence format (one line per user,
``user item item ...``, chronological), as written by ``job train-recommender --export-sequences``.
Each item's position in its user's line becomes its timestamp, so RecBole's time-ordered
leave-one-out split (last item test, second-last validation) is identical to ours.

Prints HR@10/NDCG@10 (and @20) on the test targets, full ranking with history items excluded,
plus the mean training time per epoch. Writes a JSON summary with --json.
"""
import argparse
import functools
import json
import os
import statistics
import sys
import tempfile
import time


def write_atomic_files(sequences_path, data_dir, name):
    os.makedirs(os.path.join(data_dir, name), exist_ok=True)
    users = events = 0
    inter = os.path.join(data_dir, name, name + ".inter")
    with open(sequences_path, encoding="utf-8") as src, open(inter, "w", encoding="utf-8") as out:
        out.write("user_id:token\titem_id:token\ttimestamp:float\n")
        for line in src:
            fields = line.split()
            if not fields or fields[0].startswith("#"):
                continue
            users += 1
            for position, item in enumerate(fields[1:]):
                out.write(f"{fields[0]}\t{item}\t{position}\n")
                events += 1
    return users, events


def compatibility_shims():
    """RecBole 1.2.1 predates NumPy 2 and torch.load's weights_only default; keep it running on newer stacks."""
    import numpy as np
    import torch
    # RecBole's own Config.compatibility_settings() assigns np.float = np.float_ etc., which NumPy 2 removed.
    for alias, value in {"float_": np.float64, "complex_": np.complex128, "unicode_": np.str_,
                         "float": float, "int": int, "bool": bool, "complex": complex, "object": object,
                         "str": str, "long": np.int64, "unicode": str}.items():
        try:
            getattr(np, alias)
        except AttributeError:
            setattr(np, alias, value)
    torch.load = functools.partial(torch.load, weights_only=False)  # RecBole reloads its own checkpoint


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sequences", required=True, help="common sequence format file")
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--stopping-step", type=int, default=10)
    parser.add_argument("--max-length", type=int, default=50)
    parser.add_argument("--batch-size", type=int, default=2048)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--device", default="cpu", help="cpu or cuda")
    parser.add_argument("--json", help="write the summary here")
    args = parser.parse_args()

    compatibility_shims()
    import torch
    torch.set_num_threads(args.threads)
    from recbole.config import Config
    from recbole.data import create_dataset, data_preparation
    from recbole.utils import get_model, get_trainer, init_logger, init_seed

    work = tempfile.mkdtemp(prefix="recbole-")
    name = "serendip"
    users, events = write_atomic_files(args.sequences, work, name)
    print(f"converted {users} users, {events} events into {work}/{name}", flush=True)
    use_gpu = args.device != "cpu"
    config_dict = {
        "data_path": work,
        "checkpoint_dir": os.path.join(work, "saved"),
        "USER_ID_FIELD": "user_id",
        "ITEM_ID_FIELD": "item_id",
        "TIME_FIELD": "timestamp",
        "load_col": {"inter": ["user_id", "item_id", "timestamp"]},
        "MAX_ITEM_LIST_LENGTH": args.max_length,
        "eval_args": {"split": {"LS": "valid_and_test"}, "order": "TO", "group_by": "user", "mode": "full"},
        "metrics": ["Hit", "NDCG"],
        "topk": [10, 20],
        "valid_metric": "NDCG@10",
        "loss_type": "CE",
        "train_neg_sample_args": None,
        "epochs": args.epochs,
        "stopping_step": args.stopping_step,
        "train_batch_size": args.batch_size,
        "eval_batch_size": 4096,
        "seed": args.seed,
        "reproducibility": True,
        "use_gpu": use_gpu,
        "gpu_id": "0" if use_gpu else "",
        "show_progress": False,
        "log_wandb": False,
    }
    cwd = os.getcwd()
    os.chdir(work)  # RecBole writes log/ and log_tensorboard/ relative to the working directory
    try:
        config = Config(model="SASRec", dataset=name, config_dict=config_dict)
        init_seed(config["seed"], config["reproducibility"])
        init_logger(config)
        dataset = create_dataset(config)
        train_data, valid_data, test_data = data_preparation(config, dataset)
        init_seed(config["seed"] + config["local_rank"], config["reproducibility"])
        model = get_model(config["model"])(config, train_data._dataset).to(config["device"])
        trainer = get_trainer(config["MODEL_TYPE"], config["model"])(config, model)

        epoch_seconds = []
        train_epoch = trainer._train_epoch

        @functools.wraps(train_epoch)
        def timed_train_epoch(*a, **kw):
            started = time.perf_counter()
            result = train_epoch(*a, **kw)
            epoch_seconds.append(time.perf_counter() - started)
            print(f"epoch {len(epoch_seconds)} trained in {epoch_seconds[-1]:.2f}s", flush=True)
            return result

        trainer._train_epoch = timed_train_epoch
        started = time.time()
        best_valid_score, _ = trainer.fit(train_data, valid_data, saved=True, show_progress=False)
        test = trainer.evaluate(test_data, load_best_model=True, show_progress=False)
        wall = time.time() - started
    finally:
        os.chdir(cwd)

    summary = {
        "model": "RecBole 1.2.1 SASRec",
        "device": str(config["device"]),
        "torch": torch.__version__,
        "users": users,
        "events": events,
        "items_in_ranking": int(dataset.item_num - 1),
        "test_hr@10": float(test["hit@10"]),
        "test_ndcg@10": float(test["ndcg@10"]),
        "test_hr@20": float(test["hit@20"]),
        "test_ndcg@20": float(test["ndcg@20"]),
        "best_valid_ndcg@10": float(best_valid_score),
        "epochs_run": len(epoch_seconds),
        "train_seconds_per_epoch": statistics.mean(epoch_seconds) if epoch_seconds else None,
        "wall_seconds": wall,
        "threads": args.threads,
    }
    print(json.dumps(summary, indent=2))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(summary, out, indent=2)


if __name__ == "__main__":
    sys.exit(main())
