using MudBlazor;
using TasksConsole.Api;

namespace TasksConsole.Components.EmailViews;

/// <summary>A campaign's activity (GET /campaigns/{id}/activity) as the chart's series and labels.</summary>
public static class CampaignActivitySeries
{
    /// <summary>About this many labels at most, so that hundreds of points do not write over each other.</summary>
    private const int MaxLabels = 8;

    public static List<ChartSeries<int>> Of(CampaignActivityResponse activity) =>
    [
        new() { Name = "Sent", Data = new ChartData<int>(activity.Points.Select(point => point.Sent).ToList()) },
        new() { Name = "Unique opens", Data = new ChartData<int>(activity.Points.Select(point => point.Opens).ToList()) },
        new() { Name = "Unique clicks", Data = new ChartData<int>(activity.Points.Select(point => point.Clicks).ToList()) },
    ];

    /// <summary>Each point's time (UTC); every n-th labelled.</summary>
    public static string[] Labels(CampaignActivityResponse activity)
    {
        var every = Math.Max(1, (activity.Points.Count + MaxLabels - 1) / MaxLabels);
        var format = activity.Bucket == "hour" ? "MM-dd HH:mm" : "HH:mm";
        return activity.Points.Select((point, index) => index % every == 0 ? point.At.ToUniversalTime().ToString(format) : "").ToArray();
    }
}
