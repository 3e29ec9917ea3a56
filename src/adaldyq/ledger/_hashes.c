/* RFC 9162 hashing of whole batches through OpenSSL's libcrypto (ADR 0004, fourth amendment).
 *
 * leaf_hashes(bodies)                 SHA-256(0x00 || body) of each bytes object, joined
 * leaf_hashes_joined(blob, lengths)   the same for bodies cut one after another out of one blob
 * node_level(hashes)                  SHA-256(0x01 || left || right) of each aligned pair, joined
 * pack_rows(subjects, types, bodies)   a batch's entry columns joined, with an index, for SQLite
 * tails_match(start, blob, lengths, subjects, types)
 *                                     whether body i ends with ,"seq":start+i,"subject":S,"type":T,"v":1}
 *                                     where S and T are the i-th strings of two JSON arrays, as written
 *
 * Hashes are 32-byte digests joined into one bytes object. The hashing runs with Python's lock
 * released. adaldyq.ledger.hashing holds the same functions through hashlib, used when this
 * module was not built; the results are the same bytes.
 *
 * SHA256_Init/Update/Final rather than the one-shot SHA256(): in OpenSSL 3.0 the one-shot call
 * fetches the algorithm on every call (about 0.5 us here, slower than hashlib), while the
 * low-level calls go straight to the (SHA-NI) block function. They are deprecated in OpenSSL 3
 * but present; where they are not, this file does not build and adaldyq uses hashlib.
 */
#define PY_SSIZE_T_CLEAN
#define OPENSSL_SUPPRESS_DEPRECATED
#include <Python.h>
#include <openssl/sha.h>
#include <stdint.h>
#include <string.h>

#define DIGEST 32
#define RELEASE_FROM 16 /* below this many hashes, keeping the lock is cheaper */

static void
leaf(const unsigned char *data, size_t size, unsigned char *out)
{
    static const unsigned char prefix = 0x00;
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, &prefix, 1);
    SHA256_Update(&ctx, data, size);
    SHA256_Final(out, &ctx);
}

static void
node(const unsigned char *pair, unsigned char *out)
{
    unsigned char message[1 + 2 * DIGEST];
    SHA256_CTX ctx;
    message[0] = 0x01;
    memcpy(message + 1, pair, 2 * DIGEST);
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, message, sizeof message);
    SHA256_Final(out, &ctx);
}

static void
hash_leaves(const unsigned char **data, const size_t *sizes, Py_ssize_t n, unsigned char *out)
{
    for (Py_ssize_t i = 0; i < n; i++)
        leaf(data[i], sizes[i], out + i * DIGEST);
}

static void
hash_level(const unsigned char *pairs, Py_ssize_t n, unsigned char *out)
{
    for (Py_ssize_t i = 0; i < n; i++)
        node(pairs + i * 2 * DIGEST, out + i * DIGEST);
}

/* lengths (a sequence of ints) -> a new array of n + 1 offsets into a blob of `size` bytes;
 * NULL with ValueError unless the lengths are non-negative and add up to `size` exactly. */
static Py_ssize_t *
offsets_of(PyObject *lengths, Py_ssize_t size, Py_ssize_t *count)
{
    PyObject *seq = PySequence_Fast(lengths, "lengths must be a sequence of ints");
    if (seq == NULL)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    Py_ssize_t *offsets = PyMem_Malloc((size_t)(n + 1) * sizeof(Py_ssize_t));
    if (offsets == NULL) {
        Py_DECREF(seq);
        PyErr_NoMemory();
        return NULL;
    }
    PyObject **items = PySequence_Fast_ITEMS(seq);
    Py_ssize_t at = 0;
    offsets[0] = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!PyLong_CheckExact(items[i])) {
            PyErr_SetString(PyExc_TypeError, "lengths must be ints");
            goto fail;
        }
        Py_ssize_t length = PyLong_AsSsize_t(items[i]);
        if (length == -1 && PyErr_Occurred())
            goto fail;
        if (length < 0 || length > size - at) {
            PyErr_SetString(PyExc_ValueError, "lengths do not fit the blob");
            goto fail;
        }
        at += length;
        offsets[i + 1] = at;
    }
    if (at != size) {
        PyErr_SetString(PyExc_ValueError, "lengths do not add up to the blob's size");
        goto fail;
    }
    Py_DECREF(seq);
    *count = n;
    return offsets;
fail:
    Py_DECREF(seq);
    PyMem_Free(offsets);
    return NULL;
}

static PyObject *
leaf_hashes(PyObject *module, PyObject *bodies)
{
    /* A tuple of our own keeps every body alive, whatever other threads do to a list. */
    PyObject *items = PySequence_Tuple(bodies);
    if (items == NULL)
        return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(items);
    const unsigned char **data = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(*data));
    size_t *sizes = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(*sizes));
    PyObject *out = NULL;
    if (data == NULL || sizes == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *body = PyTuple_GET_ITEM(items, i);
        if (!PyBytes_CheckExact(body)) {
            PyErr_Format(PyExc_TypeError, "body %zd is %.100s, not bytes", i, Py_TYPE(body)->tp_name);
            goto done;
        }
        data[i] = (const unsigned char *)PyBytes_AS_STRING(body);
        sizes[i] = (size_t)PyBytes_GET_SIZE(body);
    }
    out = PyBytes_FromStringAndSize(NULL, n * DIGEST);
    if (out == NULL)
        goto done;
    unsigned char *digests = (unsigned char *)PyBytes_AS_STRING(out);
    if (n < RELEASE_FROM) {
        hash_leaves(data, sizes, n, digests);
    }
    else {
        Py_BEGIN_ALLOW_THREADS
        hash_leaves(data, sizes, n, digests);
        Py_END_ALLOW_THREADS
    }
done:
    PyMem_Free(data);
    PyMem_Free(sizes);
    Py_DECREF(items);
    return out;
}

static PyObject *
leaf_hashes_joined(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "leaf_hashes_joined(blob, lengths)");
        return NULL;
    }
    Py_buffer blob;
    if (PyObject_GetBuffer(args[0], &blob, PyBUF_SIMPLE) < 0)
        return NULL;
    PyObject *out = NULL;
    Py_ssize_t n = 0;
    Py_ssize_t *offsets = offsets_of(args[1], blob.len, &n);
    if (offsets == NULL)
        goto done;
    out = PyBytes_FromStringAndSize(NULL, n * DIGEST);
    if (out == NULL)
        goto done;
    const unsigned char *data = blob.buf;
    unsigned char *digests = (unsigned char *)PyBytes_AS_STRING(out);
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < n; i++)
        leaf(data + offsets[i], (size_t)(offsets[i + 1] - offsets[i]), digests + i * DIGEST);
    Py_END_ALLOW_THREADS
done:
    PyMem_Free(offsets);
    PyBuffer_Release(&blob);
    return out;
}

static PyObject *
node_level(PyObject *module, PyObject *arg)
{
    Py_buffer hashes;
    if (PyObject_GetBuffer(arg, &hashes, PyBUF_SIMPLE) < 0)
        return NULL;
    if (hashes.len % DIGEST != 0) {
        PyBuffer_Release(&hashes);
        PyErr_SetString(PyExc_ValueError, "a level is a whole number of 32-byte hashes");
        return NULL;
    }
    Py_ssize_t n = hashes.len / (2 * DIGEST); /* an odd last node has no sibling yet */
    PyObject *out = PyBytes_FromStringAndSize(NULL, n * DIGEST);
    if (out != NULL) {
        const unsigned char *pairs = hashes.buf;
        unsigned char *digests = (unsigned char *)PyBytes_AS_STRING(out);
        if (n < RELEASE_FROM) {
            hash_level(pairs, n, digests);
        }
        else {
            Py_BEGIN_ALLOW_THREADS
            hash_level(pairs, n, digests);
            Py_END_ALLOW_THREADS
        }
    }
    PyBuffer_Release(&hashes);
    return out;
}

/* The next element of a JSON array of strings, as written: from its opening quote to its
 * closing one. Returns 0 unless it is a string whose text is valid UTF-8 (anything else: the
 * caller's check fails and the slow path, which decodes, decides). */
static int
next_string(const unsigned char **at, const unsigned char *end, const unsigned char **start,
            size_t *size)
{
    const unsigned char *p = *at;
    if (p >= end || *p != '"')
        return 0;
    const unsigned char *first = p++;
    while (p < end && *p != '"') {
        unsigned char c = *p;
        if (c == '\\') {
            p += 2;
        }
        else if (c < 0x20) {
            return 0;
        }
        else if (c < 0x80) {
            p++;
        }
        else { /* UTF-8: 2 to 4 bytes, no overlong forms, no surrogates, at most U+10FFFF */
            int more;
            uint32_t cp;
            if (c >= 0xC2 && c <= 0xDF) {
                more = 1;
                cp = c & 0x1F;
            }
            else if (c >= 0xE0 && c <= 0xEF) {
                more = 2;
                cp = c & 0x0F;
            }
            else if (c >= 0xF0 && c <= 0xF4) {
                more = 3;
                cp = c & 0x07;
            }
            else {
                return 0;
            }
            if (end - p <= more)
                return 0;
            for (int k = 1; k <= more; k++) {
                if ((p[k] & 0xC0) != 0x80)
                    return 0;
                cp = (cp << 6) | (p[k] & 0x3F);
            }
            if ((more == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
                (more == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
                return 0;
            p += more + 1;
        }
    }
    if (p >= end)
        return 0;
    p++; /* the closing quote */
    *start = first;
    *size = (size_t)(p - first);
    *at = p;
    return 1;
}

static int
buffer_of(PyObject *obj, Py_buffer *view, const char **data, Py_ssize_t *size)
{
    if (PyUnicode_Check(obj)) {
        view->obj = NULL;
        *data = PyUnicode_AsUTF8AndSize(obj, size);
        return *data == NULL ? -1 : 0;
    }
    if (PyObject_GetBuffer(obj, view, PyBUF_SIMPLE) < 0)
        return -1;
    *data = view->buf;
    *size = view->len;
    return 0;
}

/* ,"seq":N,"subject":  into out (64 bytes); returns its length (what snprintf would write) */
static size_t
seq_piece(char *out, unsigned long long seq)
{
    static const char head[] = ",\"seq\":", tail[] = ",\"subject\":";
    char digits[20];
    size_t n = 0, at = sizeof head - 1;
    do {
        digits[n++] = (char)('0' + seq % 10);
        seq /= 10;
    } while (seq != 0);
    memcpy(out, head, sizeof head - 1);
    while (n > 0)
        out[at++] = digits[--n];
    memcpy(out + at, tail, sizeof tail - 1);
    return at + sizeof tail - 1;
}

static int
ends_with(const unsigned char *body, size_t body_size, size_t *tail, const void *piece, size_t size)
{
    if (*tail + size > body_size)
        return 0;
    *tail += size;
    return memcmp(body + body_size - *tail, piece, size) == 0;
}

static PyObject *
tails_match(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5) {
        PyErr_SetString(PyExc_TypeError, "tails_match(start, blob, lengths, subjects, types)");
        return NULL;
    }
    long long start = PyLong_AsLongLong(args[0]);
    if (start == -1 && PyErr_Occurred())
        return NULL;
    if (start < 0) {
        PyErr_SetString(PyExc_ValueError, "start must not be negative");
        return NULL;
    }
    Py_buffer blob, subjects_view = {0}, types_view = {0};
    const char *subjects, *types;
    Py_ssize_t subjects_size, types_size, n = 0;
    Py_ssize_t *offsets = NULL;
    int ok = 1;
    if (PyObject_GetBuffer(args[1], &blob, PyBUF_SIMPLE) < 0)
        return NULL;
    if (buffer_of(args[3], &subjects_view, &subjects, &subjects_size) < 0) {
        PyBuffer_Release(&blob);
        return NULL;
    }
    if (buffer_of(args[4], &types_view, &types, &types_size) < 0) {
        PyBuffer_Release(&blob);
        if (subjects_view.obj != NULL)
            PyBuffer_Release(&subjects_view);
        return NULL;
    }
    offsets = offsets_of(args[2], blob.len, &n);
    if (offsets == NULL) {
        ok = -1;
        goto done;
    }
    const unsigned char *s = (const unsigned char *)subjects, *s_end = s + subjects_size;
    const unsigned char *t = (const unsigned char *)types, *t_end = t + types_size;
    const unsigned char *data = blob.buf;
    Py_BEGIN_ALLOW_THREADS
    if (s >= s_end || *s++ != '[' || t >= t_end || *t++ != '[')
        ok = 0;
    for (Py_ssize_t i = 0; ok && i < n; i++) {
        const unsigned char *subject, *type_;
        size_t subject_size, type_size, tail = 0;
        if (i > 0 && (s >= s_end || *s++ != ',' || t >= t_end || *t++ != ',')) {
            ok = 0;
            break;
        }
        if (!next_string(&s, s_end, &subject, &subject_size) ||
            !next_string(&t, t_end, &type_, &type_size)) {
            ok = 0;
            break;
        }
        /* ,"seq":N,"subject":S,"type":T,"v":1}  checked from its end */
        char seq[64];
        size_t seq_size = seq_piece(seq, (unsigned long long)start + (unsigned long long)i);
        const unsigned char *body = data + offsets[i];
        size_t body_size = (size_t)(offsets[i + 1] - offsets[i]);
        ok = ends_with(body, body_size, &tail, ",\"v\":1}", 7) &&
             ends_with(body, body_size, &tail, type_, type_size) &&
             ends_with(body, body_size, &tail, ",\"type\":", 8) &&
             ends_with(body, body_size, &tail, subject, subject_size) &&
             ends_with(body, body_size, &tail, seq, seq_size);
    }
    if (ok && (s >= s_end || *s++ != ']' || s != s_end || t >= t_end || *t++ != ']' || t != t_end))
        ok = 0;
    Py_END_ALLOW_THREADS
done:
    PyMem_Free(offsets);
    PyBuffer_Release(&blob);
    if (subjects_view.obj != NULL)
        PyBuffer_Release(&subjects_view);
    if (types_view.obj != NULL)
        PyBuffer_Release(&types_view);
    if (ok < 0)
        return NULL;
    return PyBool_FromLong(ok);
}

/* Ten decimal digits, zero-padded. */
static void
put10(char *out, size_t value)
{
    for (int k = 9; k >= 0; k--) {
        out[k] = (char)('0' + value % 10);
        value /= 10;
    }
}

/* pack_rows(subjects, types, bodies) -> (index, subjects, types, bodies) or None
 * The columns of a batch's entry rows for SQLite's one-statement insert (adaldyq.ledger.sql):
 * each column joined into one bytes object (text as UTF-8), and an index of 60 ASCII digits a row:
 * offset and length of its subject, of its type and of its body, ten digits each. None when a
 * value is not an exact str (or bytes, for bodies), holds a NUL or a lone surrogate, a column is
 * empty altogether, or a size does not fit ten digits: the caller then takes another way. */
static PyObject *
pack_rows(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "pack_rows(subjects, types, bodies)");
        return NULL;
    }
    PyObject *columns[3] = {NULL, NULL, NULL}, *parts[4] = {NULL, NULL, NULL, NULL};
    PyObject *result = NULL;
    const char **data = NULL;
    Py_ssize_t *sizes = NULL;
    size_t totals[3] = {0, 0, 0};
    int fits = 1;
    for (int c = 0; c < 3; c++) {
        columns[c] = PySequence_Tuple(args[c]);
        if (columns[c] == NULL)
            goto done;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(columns[0]);
    if (PyTuple_GET_SIZE(columns[1]) != n || PyTuple_GET_SIZE(columns[2]) != n) {
        PyErr_SetString(PyExc_ValueError, "the columns are not of one length");
        goto done;
    }
    data = PyMem_Malloc((size_t)(3 * n + 1) * sizeof(*data));
    sizes = PyMem_Malloc((size_t)(3 * n + 1) * sizeof(*sizes));
    if (data == NULL || sizes == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; fits && i < n; i++) {
        for (int c = 0; fits && c < 3; c++) {
            PyObject *value = PyTuple_GET_ITEM(columns[c], i);
            const char *bytes;
            Py_ssize_t size;
            if (c < 2) {
                if (!PyUnicode_CheckExact(value)) {
                    fits = 0;
                    break;
                }
                bytes = PyUnicode_AsUTF8AndSize(value, &size);
                if (bytes == NULL) { /* a lone surrogate */
                    PyErr_Clear();
                    fits = 0;
                    break;
                }
                if (memchr(bytes, 0, (size_t)size) != NULL) {
                    fits = 0;
                    break;
                }
            }
            else {
                if (!PyBytes_CheckExact(value)) {
                    fits = 0;
                    break;
                }
                bytes = PyBytes_AS_STRING(value);
                size = PyBytes_GET_SIZE(value);
            }
            data[3 * i + c] = bytes;
            sizes[3 * i + c] = size;
            totals[c] += (size_t)size;
        }
    }
    for (int c = 0; c < 3; c++) /* an empty blob would be bound as NULL */
        fits = fits && totals[c] <= 9999999999ULL && (totals[c] > 0 || n == 0);
    if (!fits) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    parts[0] = PyBytes_FromStringAndSize(NULL, 60 * n);
    for (int c = 0; c < 3; c++)
        parts[c + 1] = parts[0] ? PyBytes_FromStringAndSize(NULL, (Py_ssize_t)totals[c]) : NULL;
    if (parts[0] == NULL || parts[1] == NULL || parts[2] == NULL || parts[3] == NULL)
        goto done;
    char *index = PyBytes_AS_STRING(parts[0]);
    size_t at[3] = {0, 0, 0};
    for (Py_ssize_t i = 0; i < n; i++) {
        for (int c = 0; c < 3; c++) {
            size_t size = (size_t)sizes[3 * i + c];
            memcpy(PyBytes_AS_STRING(parts[c + 1]) + at[c], data[3 * i + c], size);
            put10(index + 60 * i + 20 * c, at[c]);
            put10(index + 60 * i + 20 * c + 10, size);
            at[c] += size;
        }
    }
    result = PyTuple_Pack(4, parts[0], parts[1], parts[2], parts[3]);
done:
    for (int c = 0; c < 3; c++)
        Py_XDECREF(columns[c]);
    for (int c = 0; c < 4; c++)
        Py_XDECREF(parts[c]);
    PyMem_Free(data);
    PyMem_Free(sizes);
    return result;
}

static PyMethodDef methods[] = {
    {"pack_rows", (PyCFunction)(void (*)(void))pack_rows, METH_FASTCALL,
     "pack_rows(subjects, types, bodies) -> (index, subjects, types, bodies) joined, or None"},
    {"leaf_hashes", leaf_hashes, METH_O,
     "leaf_hashes(bodies) -> the RFC 9162 leaf hash of each body, joined"},
    {"leaf_hashes_joined", (PyCFunction)(void (*)(void))leaf_hashes_joined, METH_FASTCALL,
     "leaf_hashes_joined(blob, lengths) -> the leaf hashes of the bodies cut from blob, joined"},
    {"node_level", node_level, METH_O,
     "node_level(hashes) -> the parent of each aligned pair of 32-byte hashes, joined"},
    {"tails_match", (PyCFunction)(void (*)(void))tails_match, METH_FASTCALL,
     "tails_match(start, blob, lengths, subjects, types) -> whether each body ends with its tail"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "adaldyq.ledger._hashes",
    "RFC 9162 hashing of whole batches through OpenSSL (see adaldyq.ledger.hashing).", -1, methods,
};

PyMODINIT_FUNC
PyInit__hashes(void)
{
    return PyModule_Create(&module);
}
