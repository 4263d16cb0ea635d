#!/usr/bin/env python3
"""Crafted inputs against the release `mltest`, each under a memory and a time limit.

Every input here once froze, aborted or misled mltest (issue 11's findings): a CSV whose
columns turn to text on the diagonal, an id column as a classification target, a one-hot
of thousands of columns, an SVM or a cross-validation too big to hold or to wait for, a suite file nested
100,000 deep, a suite that reads a file outside its folder, `/dev/zero` as data, a header that
forges a CI command, duplicate keys... Each case says which exit statuses are right (0 pass,
1 fail, 2 no run: never an abort or a signal), what the output must say, and runs with its
address space capped (RLIMIT_AS) and a wall-clock limit, so a blow-up is a failure here
rather than a slow CI job.

    python3 scripts/crafted.py [--mltest target/release/mltest] [--only NAME] [--keep DIR]

Prints one line per case and `N passed, N failed`; exits 1 on any failure. Inputs are
generated into a scratch folder (deterministic: no randomness).
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

MIB = 1 << 20
# A limit per case: the engine's working set plus a few times the input. Generous beside
# the blow-ups it catches (gigabytes), tight beside "a few times the file's size".
BASE_MEMORY = 256 * MIB
TIME_LIMIT_S = 30


class Case:
    def __init__(self, name, make, args, exits, says=(), never=(), memory=None, seconds=TIME_LIMIT_S,
                 check=None):
        self.name = name
        self.make = make  # make(folder) writes the inputs
        self.args = args  # argv after `mltest`, with {dir} for the folder
        self.exits = exits
        self.says = says  # substrings the output (stdout + stderr) must hold
        self.never = never  # substrings it must not hold
        self.memory = memory  # bytes of address space, or None for BASE + 6 × inputs
        self.seconds = seconds
        self.check = check  # check(folder, stdout, stderr) -> error text or None


def write(folder, name, data):
    path = os.path.join(folder, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    mode = 'wb' if isinstance(data, bytes) else 'w'
    with open(path, mode) as f:
        f.write(data)
    return path


def suite(tests, data='data.csv', **top):
    doc = {'version': 1, 'name': 'crafted', 'data': {'source': 'file', 'path': data}}
    doc.update(top)
    doc['tests'] = tests
    return json.dumps(doc)


def diagonal_csv(n):
    """N×N cells where column i turns from numbers to text at row i (and stays text)."""
    lines = [','.join(f'c{i}' for i in range(n))]
    for row in range(n):
        lines.append(','.join('x' if row >= col else '1' for col in range(n)))
    return '\n'.join(lines) + '\n'


def numeric_features(rows, features, label):
    """Rows of deterministic features in [0, 10) and a label column from `label(i)`."""
    header = ','.join([f'x{j}' for j in range(features)] + ['label'])
    lines = [header]
    for i in range(rows):
        xs = [str(((i * (2 * j + 1) * 37 + j * 11) % 101) / 10) for j in range(features)]
        lines.append(','.join(xs + [str(label(i))]))
    return '\n'.join(lines) + '\n'


def make_ids(folder):
    write(folder, 'data.csv', 'id\nusr-0000400\nusr-0008900\n')
    write(folder, 'suite.json', suite([
        {'id': 'ids-unique', 'kind': 'unique', 'column': 'id'},
        {'id': 'ids-vary', 'kind': 'not_constant', 'column': 'id'},
        {'id': 'rows-distinct', 'kind': 'no_duplicate_rows'},
    ]))


def make_diagonal(folder):
    write(folder, 'data.csv', diagonal_csv(2000))


def make_many_classes(folder):
    write(folder, 'data.csv', numeric_features(60_000, 3, lambda i: f'id{i}'))
    write(folder, 'suite.json', suite([
        {'id': 'acc', 'kind': 'metric_threshold', 'metric': 'accuracy', 'op': '>', 'value': 0.5},
    ], target='label', task='classification', model={'kind': 'logistic_regression'}))


def make_wide_one_hot(folder):
    columns, rows = 4000, 200
    header = ','.join([f'c{j}' for j in range(columns)] + ['label'])
    lines = [header]
    for i in range(rows):
        cells = [f'l{(i + j) % 50}' for j in range(columns)]
        lines.append(','.join(cells + [str(i % 2)]))
    write(folder, 'data.csv', '\n'.join(lines) + '\n')
    write(folder, 'suite.json', suite([
        {'id': 'acc', 'kind': 'metric_threshold', 'metric': 'accuracy', 'op': '>', 'value': 0.5},
    ], target='label', task='classification', preprocess=[{'one_hot': 'auto'}],
        model={'kind': 'logistic_regression'}))


def make_big_svm(folder):
    # 70,000 rows are 56,000 train rows, past the 50,000 an SVM's time allows.
    write(folder, 'data.csv', numeric_features(70_000, 3, lambda i: i % 2))
    write(folder, 'suite.json', suite([
        {'id': 'acc', 'kind': 'metric_threshold', 'metric': 'accuracy', 'op': '>', 'value': 0.5},
    ], target='label', task='classification', model={'kind': 'svm'}))


def make_many_folds(folder):
    write(folder, 'data.csv', numeric_features(30_000, 3, lambda i: i % 2))
    write(folder, 'suite.json', suite([
        {'id': 'cv', 'kind': 'cross_validation', 'folds': 30_000, 'min_mean': 0.5},
    ], target='label', task='classification', model={'kind': 'gaussian_nb'}))


def make_wide_ridge(folder):
    columns, rows = 15_000, 30  # the loader takes at most 16,384 columns
    header = ','.join([f'x{j}' for j in range(columns)] + ['y'])
    lines = [header]
    for i in range(rows):
        cells = [str(((i * 31 + j * 17) % 97) / 10) for j in range(columns)]
        lines.append(','.join(cells + [str(i)]))
    write(folder, 'data.csv', '\n'.join(lines) + '\n')
    write(folder, 'suite.json', suite([
        {'id': 'r2', 'kind': 'metric_threshold', 'metric': 'r2', 'op': '>', 'value': -1000},
    ], target='y', task='regression', model={'kind': 'ridge', 'alpha': 1.0}))


def make_elastic_net_iterations(folder):
    write(folder, 'data.csv', numeric_features(200, 3, lambda i: i % 7))
    write(folder, 'suite.json', suite([
        {'id': 'r2', 'kind': 'metric_threshold', 'metric': 'r2', 'op': '>', 'value': -1000},
    ], target='label', task='regression', model={'kind': 'elastic_net', 'max_iterations': 4_000_000_000}))


def make_values_not_in_set(folder):
    write(folder, 'data.csv', 'v\n' + ''.join(f'value-{i}\n' for i in range(100_000)))
    write(folder, 'suite.json', suite([
        {'id': 'in-set', 'kind': 'values_in_set', 'column': 'v', 'allowed': ['a', 'b']},
    ]))


def make_many_allowed(folder):
    write(folder, 'data.csv', 'v\n' + ''.join(f'value-{i}\n' for i in range(100_000)))
    write(folder, 'suite.json', suite([
        {'id': 'in-set', 'kind': 'values_in_set', 'column': 'v',
         'allowed': [f'value-{i}' for i in range(100_000)]},
    ]))


def make_many_names(folder):
    write(folder, 'data.csv', 'a,b\n1,2\n')
    write(folder, 'suite.json', suite([
        {'id': 'names', 'kind': 'columns_present', 'columns': [f'col{i}' for i in range(100_000)]},
    ]))


def make_deep_yaml(folder):
    depth = 100_000
    tests = '[' * depth + ']' * depth
    write(folder, 'data.csv', 'a\n1\n')
    write(folder, 'suite.yaml', 'version: 1\nname: deep\ndata: {source: file, path: data.csv}\n'
          f'tests: {tests}\n')


def make_many_cv_tests(folder):
    write(folder, 'data.csv', numeric_features(2_000, 3, lambda i: i % 2))
    tests = [{'id': f'cv{i}', 'kind': 'cross_validation', 'folds': 10, 'min_mean': 0.0} for i in range(2_000)]
    write(folder, 'suite.json', suite(tests, target='label', task='classification',
                                      model={'kind': 'gaussian_nb'}))


def make_outside_path(folder):
    write(folder, 'secret.csv', 'token\nSECRET-TOKEN-123\n')
    # A failing row's value is printed: the report would show the secret.
    leak = [{'id': 'leak', 'kind': 'matches_regex', 'column': 'token', 'pattern': '^x$'}]
    write(folder, 'suites/absolute.json', suite(leak, data=os.path.join(folder, 'secret.csv')))
    write(folder, 'suites/dotdot.json', suite(leak, data='../secret.csv'))


def make_nothing(folder):
    pass


def make_escapes(folder):
    # A header that, printed raw, would colour the terminal and forge a GitHub Actions command.
    write(folder, 'data.csv', '"a\x1b[31m\n::error title=forged::x",b\n1,2\n,3\n')
    write(folder, 'suite.json', suite([
        {'id': 'nulls', 'kind': 'not_null', 'column': '*'},
    ]))


def make_duplicate_keys(folder):
    write(folder, 'data.csv', 'a\n1\n2\n')
    write(folder, 'suite.json', '{"version": 1, "name": "dup", "data": {"source": "file", "path": "data.csv"},'
          ' "tests": [{"id": "rows", "kind": "row_count_between", "min": 1000, "min": 1}]}')
    write(folder, 'suite.yaml', 'version: 1\nname: dup\ndata: {source: file, path: data.csv}\n'
          'tests:\n  - {id: rows, kind: row_count_between, min: 1000}\ntests:\n  - {id: rows, kind: row_count_between, min: 1}\n')


def make_wide_header(folder):
    write(folder, 'data.csv', ','.join('c' for _ in range(5_000_000)) + '\n')


def make_wide_row(folder):
    # One data row of 100 MiB of commas: the reader must not hold 8 bytes per field.
    write(folder, 'data.csv', 'a,b\n1,2\n' + ',' * (100 * MIB) + '\n')


def make_huge_regex(folder):
    write(folder, 'data.csv', 'a\nx\n')
    write(folder, 'suite.json', suite([
        # Under the 10 MB suite limit: the pattern's own limit must refuse it before compiling.
        {'id': 're', 'kind': 'matches_regex', 'column': 'a', 'pattern': 'a' * (9 * MIB)},
    ]))


def make_output_over_data(folder):
    write(folder, 'data.csv', 'a\n1\n2\n')
    write(folder, 'suite.json', suite([{'id': 'rows', 'kind': 'row_count_between', 'min': 1}]))


def data_unchanged(folder, _out, _err):
    with open(os.path.join(folder, 'data.csv')) as f:
        return None if f.read() == 'a\n1\n2\n' else 'the data file was overwritten'


def make_short_text(folder):
    # 32 MiB of two-letter text cells: the table must stay within a few times the file.
    cell = 'ab,cd,ef,gh\n'
    write(folder, 'data.csv', 'w,x,y,z\n' + cell * ((32 * MIB) // len(cell)))


def no_control_characters(_folder, out, _err):
    for line in out.splitlines():
        if line.startswith('::error'):
            return f'a line starts a CI command: {line!r}'
    return None if '\x1b' not in out else 'an escape character reached the output'


CASES = [
    Case('equal-hash ids are two values', make_ids, ['run', '{dir}/suite.json'], {0},
         says=['PASS']),
    Case('diagonal CSV loads in linear time', make_diagonal, ['inspect', '{dir}/data.csv'], {0},
         seconds=20),
    Case('an id column as a classification target', make_many_classes, ['run', '{dir}/suite.json'], {1},
         says=['60,000 classes', '1,000']),
    Case('one-hot of 4,000 columns × 50 levels', make_wide_one_hot, ['run', '{dir}/suite.json'], {1},
         says=['10,000']),
    Case('an SVM on 56,000 train rows', make_big_svm, ['run', '{dir}/suite.json'], {1},
         says=['svm would train on 56,000 rows', 'at most 50,000 rows']),
    Case('cross-validation with folds = rows', make_many_folds, ['run', '{dir}/suite.json'], {2},
         says=['folds', 'limit of 100']),
    Case('ridge with 15,000 columns and 30 rows', make_wide_ridge, ['run', '{dir}/suite.json'], {0, 1}),
    Case('elastic net with 4e9 iterations', make_elastic_net_iterations, ['run', '{dir}/suite.json'], {2},
         says=['max_iterations']),
    Case('100k values not in the set', make_values_not_in_set, ['run', '{dir}/suite.json'], {1}, seconds=10),
    Case('100k allowed values', make_many_allowed, ['run', '{dir}/suite.json'], {0}, seconds=10),
    Case('columns_present with 100k names', make_many_names, ['run', '{dir}/suite.json'], {1}, seconds=10),
    Case('YAML nested 100k deep', make_deep_yaml, ['run', '{dir}/suite.yaml'], {2}, says=['deep'], seconds=5),
    Case('2,000 cross-validation tests', make_many_cv_tests, ['run', '{dir}/suite.json'], {2},
         says=['at most 500']),
    Case('data.path absolute', make_outside_path, ['run', '{dir}/suites/absolute.json'], {2},
         says=['data.path'], never=['SECRET-TOKEN-123']),
    Case('data.path with ..', make_outside_path, ['run', '{dir}/suites/dotdot.json'], {2},
         says=['data.path'], never=['SECRET-TOKEN-123']),
    Case('/dev/zero as data', make_ids, ['run', '{dir}/suite.json', '--data', '/dev/zero'], {2},
         says=['limit'], memory=768 * MIB, seconds=10),
    Case('inspect /dev/urandom', make_nothing, ['inspect', '/dev/urandom'], {2}, says=['limit'],
         memory=768 * MIB, seconds=10),
    Case('a header with escapes and a forged CI command', make_escapes, ['run', '{dir}/suite.json'], {1},
         check=no_control_characters),
    Case('duplicate keys in JSON', make_duplicate_keys, ['run', '{dir}/suite.json'], {2}, says=['duplicate', 'min']),
    Case('duplicate keys in YAML', make_duplicate_keys, ['run', '{dir}/suite.yaml'], {2}, says=['duplicate', 'tests']),
    Case('a header of 5 million columns', make_wide_header, ['inspect', '{dir}/data.csv'], {2},
         says=['columns']),
    Case('a row of 100 million fields', make_wide_row, ['inspect', '{dir}/data.csv'], {2},
         says=['fields']),
    Case('a 9 MB regex', make_huge_regex, ['run', '{dir}/suite.json'], {2}, says=['pattern']),
    Case('--output names the data file', make_output_over_data,
         ['run', '{dir}/suite.json', '--output', '{dir}/data.csv'], {2}, check=data_unchanged),
    Case('32 MiB of short text cells', make_short_text, ['inspect', '{dir}/data.csv'], {0}),
]


def input_bytes(folder):
    total = 0
    for root, _dirs, files in os.walk(folder):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    return total


def run_case(case, mltest, folder):
    case.make(folder)
    memory = case.memory or BASE_MEMORY + 6 * input_bytes(folder)
    args = [mltest] + [a.replace('{dir}', folder) for a in case.args]

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    started = time.monotonic()
    try:
        done = subprocess.run(args, capture_output=True, timeout=case.seconds, preexec_fn=limit)
    except subprocess.TimeoutExpired:
        return f'still running after {case.seconds} s'
    took = time.monotonic() - started
    out = done.stdout.decode('utf-8', 'replace')
    err = done.stderr.decode('utf-8', 'replace')
    both = out + err
    problems = []
    if done.returncode not in case.exits:
        problems.append(f'exit {done.returncode}, expected one of {sorted(case.exits)}')
    problems += [f'output lacks {s!r}' for s in case.says if s not in both]
    problems += [f'output holds {s!r}' for s in case.never if s in both]
    if 'panicked' in err or 'memory allocation' in err:
        problems.append('it panicked or ran out of memory')
    if case.check:
        found = case.check(folder, out, err)
        if found:
            problems.append(found)
    if problems:
        tail = err.strip().splitlines()[-3:] or out.strip().splitlines()[-3:]
        return '; '.join(problems) + f' ({took:.1f} s; last output: {" | ".join(tail)[:400]})'
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--mltest', default='target/release/mltest')
    parser.add_argument('--only', help='run the cases whose name contains this text')
    parser.add_argument('--keep', help='generate the inputs into this folder and keep them')
    options = parser.parse_args()
    mltest = os.path.abspath(options.mltest)
    passed = failed = 0
    scratch = options.keep or tempfile.mkdtemp(prefix='mltest-crafted-')
    try:
        for index, case in enumerate(CASES):
            if options.only and options.only not in case.name:
                continue
            folder = os.path.join(os.path.abspath(scratch), f'{index:02}')
            shutil.rmtree(folder, ignore_errors=True)
            os.makedirs(folder)
            started = time.monotonic()
            problem = run_case(case, mltest, folder)
            took = time.monotonic() - started
            if problem:
                failed += 1
                print(f'FAIL {case.name}: {problem}')
            else:
                passed += 1
                print(f'ok   {case.name} ({took:.1f} s)')
            if not options.keep:
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        if not options.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    print(f'{passed} passed, {failed} failed')
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
