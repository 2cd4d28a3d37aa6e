using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Tasks.EmailTemplates;

/// <summary>
/// Signed, URL-safe tokens for the tracking links of one email: <c>base64url(payload) '.' base64url(mac)</c>, the payload
/// a kind byte, the message id (8 bytes, big-endian) and, for a click, the original URL (UTF-8); the MAC the first 16
/// bytes of its HMAC-SHA256. The kind is signed with the rest, so a token of one kind is never read as another. Readers
/// accept anything (any length, any characters) and answer false for what they did not sign, without throwing.
/// Thread-safe.
/// </summary>
public sealed class TrackingTokens
{
    private const int MacLength = 16;
    private const int IdLength = sizeof(long);
    private const int FixedLength = 1 + IdLength;

    // Far above any link of an email; it keeps a hostile token from costing more than a few kilobytes of work.
    private const int MaxTokenLength = 8192;

    private readonly byte[] _key;

    /// <param name="key">The HMAC key: at least 32 bytes (<see cref="TrackingOptions.KeyBytes"/> gives it from configuration).</param>
    public TrackingTokens(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < TrackingOptions.MinKeyLength)
        {
            throw new ArgumentException($"The tracking key must have at least {TrackingOptions.MinKeyLength} bytes.", nameof(key));
        }
        _key = key.ToArray();
    }

    public string ForOpen(long messageId) => Create(TokenKind.Open, messageId, null);

    public string ForClick(long messageId, string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Create(TokenKind.Click, messageId, url);
    }

    public string ForUnsubscribe(long messageId) => Create(TokenKind.Unsubscribe, messageId, null);

    public bool TryReadOpen(string token, out long messageId) => TryReadIdOnly(TokenKind.Open, token, out messageId);

    public bool TryReadUnsubscribe(string token, out long messageId) => TryReadIdOnly(TokenKind.Unsubscribe, token, out messageId);

    public bool TryReadClick(string token, out long messageId, out string url)
    {
        url = "";
        messageId = 0;
        if (!TryRead(TokenKind.Click, token, out var payload, out var rented))
        {
            return false;
        }
        try
        {
            messageId = BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(1, IdLength));
            url = Encoding.UTF8.GetString(payload.AsSpan(FixedLength));
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private bool TryReadIdOnly(TokenKind kind, string token, out long messageId)
    {
        messageId = 0;
        if (!TryRead(kind, token, out var payload, out var rented))
        {
            return false;
        }
        try
        {
            if (payload.Count != FixedLength)
            {
                return false;
            }
            messageId = BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(1, IdLength));
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private string Create(TokenKind kind, long messageId, string? url)
    {
        var urlLength = url is null ? 0 : Encoding.UTF8.GetByteCount(url);
        var rented = ArrayPool<byte>.Shared.Rent(FixedLength + urlLength);
        try
        {
            var payload = rented.AsSpan(0, FixedLength + urlLength);
            payload[0] = (byte)kind;
            BinaryPrimitives.WriteInt64BigEndian(payload.Slice(1, IdLength), messageId);
            if (url is not null)
            {
                Encoding.UTF8.GetBytes(url, payload[FixedLength..]);
            }
            Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(_key, payload, mac);
            return string.Concat(Base64Url.EncodeToString(payload), ".", Base64Url.EncodeToString(mac[..MacLength]));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The verified payload (a slice of <paramref name="rented"/>, to be returned to the pool) when the token is ours and of <paramref name="kind"/>.</summary>
    private bool TryRead(TokenKind kind, string? token, out ArraySegment<byte> payload, out byte[] rented)
    {
        payload = default;
        rented = [];
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return false;
        }
        var dot = token.IndexOf('.');
        if (dot <= 0 || dot != token.LastIndexOf('.'))
        {
            return false;
        }
        var encodedPayload = token.AsSpan(0, dot);
        var encodedMac = token.AsSpan(dot + 1);
        if (!Base64Url.IsValid(encodedMac, out var macLength) || macLength != MacLength
            || !Base64Url.IsValid(encodedPayload, out var payloadLength) || payloadLength < FixedLength)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[MacLength];
        Base64Url.DecodeFromChars(encodedMac, mac);
        rented = ArrayPool<byte>.Shared.Rent(payloadLength);
        var valid = false;
        try
        {
            var decoded = rented.AsSpan(0, Base64Url.DecodeFromChars(encodedPayload, rented));
            if (decoded[0] != (byte)kind || !IsCanonical(mac, encodedMac) || !IsCanonical(decoded, encodedPayload))
            {
                return false;
            }
            Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(_key, decoded, expected);
            valid = CryptographicOperations.FixedTimeEquals(expected[..MacLength], mac);
            payload = new ArraySegment<byte>(rented, 0, decoded.Length);
            return valid;
        }
        finally
        {
            if (!valid)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="encoded"/> is exactly how <paramref name="bytes"/> encode: the decoder also takes padding,
    /// white space and stray low bits in the last character, and one email's token has one spelling only.
    /// </summary>
    private static bool IsCanonical(ReadOnlySpan<byte> bytes, ReadOnlySpan<char> encoded)
    {
        var length = Base64Url.GetEncodedLength(bytes.Length);
        if (length != encoded.Length)
        {
            return false;
        }
        var rented = ArrayPool<char>.Shared.Rent(length);
        try
        {
            Base64Url.EncodeToChars(bytes, rented);
            return rented.AsSpan(0, length).SequenceEqual(encoded);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private enum TokenKind : byte
    {
        Open = 1,
        Click = 2,
        Unsubscribe = 3,
    }
}
