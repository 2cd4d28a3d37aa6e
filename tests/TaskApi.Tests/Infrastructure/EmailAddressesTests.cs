using TaskApi.Infrastructure;

namespace TaskApi.Tests.Infrastructure;

/// <summary>What counts as a subscriber's address, and when two are the same (the import tests show the same through the API).</summary>
public sealed class EmailAddressesTests
{
    [Theory]
    [InlineData("ana@example.com")]
    [InlineData("Ana.Lima+news@Example.COM")]
    [InlineData("\"ana maria\"@example.com")]
    [InlineData("\"a\\\"b\"@example.com")]
    [InlineData("!#$%&'*+-/=?^_`{|}~@example.com")]
    [InlineData("a@[192.0.2.1]")]
    [InlineData("a@[IPv6:2001:db8::1]")]
    [InlineData("a@localhost")]
    [InlineData("jöhn@bücher.example")]
    [InlineData("a@xn--bcher-kva.example")]
    [InlineData("a@XN--BCHER-KVA.example")]
    public void IsBareAddress_AddrSpec_IsTrue(string address) => Assert.True(EmailAddresses.IsBareAddress(address));

    [Theory]
    [InlineData("Ana <ana@example.com>")]
    [InlineData("\"Ana\" <ana@example.com>")]
    [InlineData("=?utf-8?q?Ana?= <ana@example.com>")]
    [InlineData("<ana@example.com>")]
    [InlineData("ana@example.com (Ana)")]
    [InlineData("(Ana) ana@example.com")]
    [InlineData("<@relay.example:ana@example.com>")]
    [InlineData("friends: ana@example.com, bob@example.com;")]
    [InlineData("ana@example.com, bob@example.com")]
    [InlineData("ana@example.com;")]
    [InlineData("ana")]
    [InlineData("ana@")]
    [InlineData("@example.com")]
    [InlineData("ana maria@example.com")]
    [InlineData("ana..maria@example.com")]
    [InlineData("ana.@example.com")]
    [InlineData("ana@example..com")]
    [InlineData("ana@example.com.")]
    [InlineData("ana@ example.com")]
    [InlineData(" ana@example.com")]
    [InlineData("ana@example.com\r\n")]
    [InlineData("ana\r\n @example.com")]
    [InlineData("ana@@example.com")]
    [InlineData("\"ana\u0000\"@example.com")]
    [InlineData("")]
    public void IsBareAddress_AnythingElse_IsFalse(string text) => Assert.False(EmailAddresses.IsBareAddress(text));

    [Theory]
    [InlineData("ana@example.com", "ana@example.com")]
    [InlineData(" Ana.Lima@Example.COM\t", "ana.lima@example.com")]
    [InlineData("a@xn--bcher-kva.example", "a@bücher.example")]
    [InlineData("A@BÜCHER.example", "a@bücher.example")]
    [InlineData("not an address", "not an address")]
    public void Normalized_Address_IsLowerCaseWithAUnicodeDomain(string address, string normalized) =>
        Assert.Equal(normalized, EmailAddresses.Normalized(address));
}
