using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tasks.Testing;

namespace SmsGateway.Tests;

/// <summary><c>POST /v1/send/{id}</c>: the token, the body's rules, the emulated delay and failures.</summary>
public sealed class SendEndpointTests
{
    [Fact]
    public async Task Send_RightToken_Answers200Accepted()
    {
        using var gateway = GatewayHost.Start();

        var response = await GatewayHost.SendAsync(gateway.CreateSender(), 9_007_199_254_740_993);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        // Beyond 2^53 on purpose: the id is a 64-bit JSON integer, not a double.
        Assert.Equal(9_007_199_254_740_993, body.GetProperty("id").GetInt64());
        Assert.Equal("accepted", body.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("wrong-token")]
    [InlineData(null)]
    public async Task Send_WrongOrNoToken_Answers401Problem(string? token)
    {
        using var gateway = GatewayHost.Start();

        var response = await GatewayHost.SendAsync(gateway.CreateSender(token), 1);

        await response.ReadProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData("any-token")]
    [InlineData(null)]
    public async Task Send_NoTokenConfigured_AcceptsAnyCaller(string? token)
    {
        using var gateway = GatewayHost.Start(("Gateway:Token", ""));

        var response = await GatewayHost.SendAsync(gateway.CreateSender(token), 1);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"id":2,"phone":79001234567,"text":"hi"}""")]
    [InlineData("""{"id":"1","phone":79001234567,"text":"hi"}""")]
    [InlineData("""{"id":1.5,"phone":79001234567,"text":"hi"}""")]
    [InlineData("""{"phone":79001234567,"text":"hi"}""")]
    public async Task Send_IdNotTheIntegerInThePath_Answers400NamingId(string json)
    {
        using var gateway = GatewayHost.Start();

        var response = await GatewayHost.SendRawAsync(gateway.CreateSender(), 1, json);

        await response.AssertFieldErrorAsync("id");
    }

    [Theory]
    [InlineData("\"79001234567\"")]
    [InlineData("7900123456")]
    [InlineData("7900123456789012")]
    [InlineData("-79001234567")]
    [InlineData("79001234567.0")]
    [InlineData("null")]
    public async Task Send_PhoneNotAnIntegerOf11To15Digits_Answers400NamingPhone(string phone)
    {
        using var gateway = GatewayHost.Start();

        var response = await GatewayHost.SendRawAsync(gateway.CreateSender(), 1, $$"""{"id":1,"phone":{{phone}},"text":"hi"}""");

        await response.AssertFieldErrorAsync("phone");
    }

    [Theory]
    [InlineData("""{"id":1,"phone":79001234567,"text":""}""")]
    [InlineData("""{"id":1,"phone":79001234567,"text":42}""")]
    [InlineData("""{"id":1,"phone":79001234567}""")]
    public async Task Send_TextNotANonEmptyString_Answers400NamingText(string json)
    {
        using var gateway = GatewayHost.Start();

        var response = await GatewayHost.SendRawAsync(gateway.CreateSender(), 1, json);

        await response.AssertFieldErrorAsync("text");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""[{"id":1,"phone":79001234567,"text":"hi"}]""")]
    public async Task Send_BodyNotAJsonObject_Answers400NamingBody(string json)
    {
        using var gateway = GatewayHost.Start();

        var response = await GatewayHost.SendRawAsync(gateway.CreateSender(), 1, json);

        await response.AssertFieldErrorAsync("body");
    }

    [Fact]
    public async Task Send_PhoneOf15Digits_Answers200()
    {
        using var gateway = GatewayHost.Start();

        var response = await GatewayHost.SendAsync(gateway.CreateSender(), 1, phone: 999_999_999_999_999);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Send_RefusedByTokenOrValidation_IsNotRecorded()
    {
        using var gateway = GatewayHost.Start();

        await GatewayHost.SendAsync(gateway.CreateSender("wrong-token"), 1);
        await GatewayHost.SendRawAsync(gateway.CreateSender(), 2, """{"id":2,"phone":1,"text":"hi"}""");

        Assert.Equal(0, (await gateway.GetMessagesAsync()).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Send_FailureRateOne_Answers500AndRecordsThatAnswer()
    {
        using var gateway = GatewayHost.Start(("Gateway:FailureRate", "1"));

        var response = await GatewayHost.SendAsync(gateway.CreateSender(), 7);

        await response.ReadProblemAsync(HttpStatusCode.InternalServerError);
        var message = await gateway.CreateClient().GetFromJsonAsync<JsonElement>("/messages/7");
        Assert.Equal(500, message.GetProperty("lastAnswer").GetInt32());
    }

    [Fact]
    public async Task Send_WithDelay_AnswersNoSoonerThanTheDelay()
    {
        var delay = TimeSpan.FromMilliseconds(300);
        using var gateway = GatewayHost.Start(("Gateway:Delay", delay.ToString()));
        using var sender = gateway.CreateSender();
        // The first request also pays for the connection and the JIT; the delay is measured on the second.
        await GatewayHost.SendAsync(sender, 1);

        var stopwatch = Stopwatch.StartNew();
        var response = await GatewayHost.SendAsync(sender, 2);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // .NET's timers count whole milliseconds of a coarser clock and may end a few of them early: 10 ms of slack.
        Assert.True(stopwatch.Elapsed >= delay - TimeSpan.FromMilliseconds(10), $"answered after {stopwatch.Elapsed}, before the {delay} delay");
    }

    [Fact]
    public async Task Send_CallerGivesUpDuringTheDelay_IsRecordedAnyway()
    {
        // Three seconds of patience against a 6 s delay: the caller gives up during the delay, long after its body was read.
        // A fresh host's first request JITs the way to the body, which on a busy machine took more than a second (the
        // send was then rightly lost): an invalid send, answered 400 before any delay, goes that way first; and at the end
        // of the fresh-clone CI, with the machine loaded, one second of patience was still sometimes too little.
        using var gateway = GatewayHost.Start(("Gateway:Delay", "00:00:06"));
        using (var first = gateway.CreateSender())
        {
            await (await GatewayHost.SendRawAsync(first, 2, "{}")).ReadProblemAsync(HttpStatusCode.BadRequest);
        }
        using var impatient = gateway.CreateSender();
        impatient.Timeout = TimeSpan.FromSeconds(3);

        await Assert.ThrowsAnyAsync<TaskCanceledException>(() => GatewayHost.SendAsync(impatient, 3));

        await Eventually.UntilAsync(async () => (await gateway.CreateClient().GetAsync("/messages/3")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(15), "the abandoned send to be recorded");
    }
}
