"""Debian's AWS CLI, imported once and forked for every call (test/setup/warm-aws.ts).

Starting the CLI costs about 0.4 s of CPU, nearly all of it importing awscli and botocore; the tests
that drive the stand-in and the live workflow with it make over a hundred calls. This server
imports the CLI once, then forks a child per call that takes the caller's arguments, environment,
working directory and standard streams, and runs the same entry point /usr/bin/aws runs
(awscli.clidriver.main). Nothing is shared between
calls but the imported modules: the CLI reads its environment, config and credentials when main()
builds its session, after the fork (the one module that reads it on import is run again).

    python3 warm-aws.py serve SOCKET     the server (prints "ready" once it listens)
    python3 warm-aws.py call SOCKET ...  one call: `aws ...` through the server, its exit code
"""

import importlib
import json
import os
import signal
import socket
import sys


def serve(path):
    import awscli.clidriver  # the import every call would otherwise repeat

    server = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    server.bind(path)
    server.listen(64)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the children are never waited for
    print("ready", flush=True)
    parent = os.getppid()
    server.settimeout(1)
    while os.getppid() == parent:  # ends with the test that started it, however that ends
        try:
            connection, _ = server.accept()
        except TimeoutError:
            continue
        connection.setblocking(True)
        if os.fork() == 0:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the CLI may wait for its own children
            server.close()
            os._exit(run_call(connection, awscli.clidriver))
        connection.close()


def run_call(connection, clidriver):
    message, fds, _, _ = socket.recv_fds(connection, 1 << 20, 3)
    request = json.loads(message)
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    # What /usr/bin/aws does before it imports the CLI.
    if os.environ.get("LC_CTYPE", "") == "UTF-8":
        os.environ["LC_CTYPE"] = "en_US.UTF-8"
    # awscli/__init__.py is the one module that reads the environment as it is imported (it adds its
    # data folder to AWS_DATA_PATH): run it again in this call's environment.
    importlib.reload(sys.modules["awscli"])
    sys.stdin = open(0, "r", closefd=False)
    sys.stdout = open(1, "w", closefd=False)
    sys.stderr = open(2, "w", closefd=False)
    sys.argv = ["aws", *request["argv"]]
    try:
        code = clidriver.main()
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else 1
    sys.stdout.flush()
    sys.stderr.flush()
    connection.sendall(str(code or 0).encode())
    connection.close()
    return 0


def call(path, argv):
    client = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    client.connect(path)
    request = {"argv": argv, "env": dict(os.environ), "cwd": os.getcwd()}
    socket.send_fds(client, [json.dumps(request).encode()], [0, 1, 2])
    answer = client.recv(16)
    # No answer: the child died before main() returned.
    return int(answer) if answer else 255


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2])
    else:
        sys.exit(call(sys.argv[2], sys.argv[3:]))
