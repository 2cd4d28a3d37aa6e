using EmbeddedKafka;
using TaskApi.Features.Feed;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Feed;

/// <summary>
/// TaskApi trusting a <see cref="StandInIssuer"/> for its end users' tokens, shared by the feed's test classes
/// (<see cref="FeedCollection"/>); a <see cref="Replica"/> is a second instance over the same database and issuer.
/// </summary>
public class FeedApiFactory : TaskApiFactory
{
    /// <summary>Streams one user may open on an instance in these tests: small, so the limit is quick to reach.</summary>
    public const int MaxStreamsPerUser = 4;

    private readonly bool _ownsIssuer;

    public FeedApiFactory() : this(StandInIssuer.Start()) => _ownsIssuer = true;

    private FeedApiFactory(StandInIssuer issuer)
    {
        Issuer = issuer;
        Trust(issuer);
    }

    private FeedApiFactory(PostgresDatabase database, KafkaMockCluster kafka, StandInIssuer issuer) : base(database, kafka)
    {
        Issuer = issuer;
        Trust(issuer);
    }

    public StandInIssuer Issuer { get; }

    /// <summary>
    /// A client of the API that sends a token of <paramref name="userId"/> from the stand-in issuer: a socket client of
    /// its own, so the streams a test holds open never wait for a connection another client holds.
    /// </summary>
    public HttpClient UserClient(string userId)
    {
        using var addressOnly = CreateClient();
        return new HttpClient(new SocketsHttpHandler())
        {
            BaseAddress = addressOnly.BaseAddress,
            DefaultRequestHeaders = { Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Issuer.Mint(userId)) },
        };
    }

    /// <summary>A second TaskApi over this one's database, Kafka and issuer; the caller initializes and disposes it.</summary>
    public FeedApiFactory Replica() => new(Database, Kafka, Issuer);

    private void Trust(StandInIssuer issuer)
    {
        Settings["Auth:Users:Authority"] = issuer.Url;
        Settings["Auth:Users:Audience"] = Audiences.Feed;
        // The floor IdentityModel allows, so the key rotation test waits a second, not ten.
        Settings[$"{UserTokenOptions.SectionName}:{nameof(UserTokenOptions.KeyRefreshInterval)}"] = "00:00:01";
        Settings[$"{FeedOptions.SectionName}:{nameof(FeedOptions.MaxStreamsPerUser)}"] = MaxStreamsPerUser.ToString();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsIssuer)
        {
            await Issuer.DisposeAsync();
        }
    }
}

/// <summary>The feed's test classes, one after the other on one <see cref="FeedApiFactory"/>: one TaskApi start for all.</summary>
[CollectionDefinition(Name)]
public sealed class FeedCollection : ICollectionFixture<FeedApiFactory>
{
    public const string Name = "Feed";
}
