"""Several processes on one database: two `send_outbox` workers never send a mail twice, and the contact relay's
rate limit is one budget shared by every worker process (R-REL-11, R-SEC-07)."""

from collections import Counter

MAILS = 60


def test_two_send_outbox_processes_deliver_every_mail_exactly_once(file_site):
    file_site.run(
        "shell",
        "-c",
        "from carrefour.messaging.outbox import queue_mail\n"
        f"for i in range({MAILS}):\n"
        "    queue_mail(to=['camille@exemple.fr'], subject=f'Message {i}', body_text='Bonjour',\n"
        "               idempotency_key=f'k{i}')",
    )
    backend = {"CARREFOUR_EMAIL_BACKEND": "process_helpers.RecordingBackend"}
    workers = [file_site.start("send_outbox", **backend) for _ in range(2)]
    outputs = [worker.communicate(timeout=180) for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs

    lines = (file_site.log_dir / "deliveries.log").read_text().split()
    message_ids, pids = lines[0::2], lines[1::2]
    counts = Counter(message_ids)
    assert len(counts) == MAILS
    assert max(counts.values()) == 1, [key for key, count in counts.items() if count > 1]
    assert len(set(pids)) == 2  # both workers did deliver: they really ran side by side


def test_the_rate_limit_is_one_budget_shared_by_two_processes(file_site):
    limit, per_process = 20, 30
    code = f"import process_helpers; process_helpers.rate_hits({per_process}, {limit})"
    processes = [file_site.python(code) for _ in range(2)]
    outputs = [process.communicate(timeout=180) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    accepted = [int(out.strip().rpartition("accepted=")[2]) for out, _err in outputs]
    assert sum(accepted) == limit, accepted
    assert all(count > 0 for count in accepted), accepted  # both drew from the same budget
