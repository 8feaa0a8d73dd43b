using Orbyt.Core.Platforms.Meta;

namespace Orbyt.Api.Features.Connections;

/// <summary>
/// A Page a Meta login reaches, and whether the person holds a Page role of their own on it (otherwise the role comes
/// through a Business Portfolio, and publishing to its Instagram account also needs ads_management or ads_read).
/// </summary>
public sealed record DiscoveredPage(MetaPage Page, bool ThroughPageRole);
