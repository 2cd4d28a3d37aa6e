using MudBlazor;

namespace TasksConsole.Components.Shared;

/// <summary>The options of the console's line charts: the overview's throughput and a campaign's activity.</summary>
public static class LineCharts
{
    /// <summary>
    /// Without MudBlazor's hover tooltips, which are an invisible circle per point with three event handlers each (240 on
    /// the overview): they made the chart about 40 ms of the overview's navigated view, in its first render batch and in the
    /// re-renders after the chart measures its axes (ConsolePageBench, 2026-12-07). The lines, axes and legend are the same.
    /// </summary>
    public static LineChartOptions WithoutTooltips() => new() { ShowToolTips = false };
}
