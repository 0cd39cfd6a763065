import type { Shipment } from "../contract";
import { trackingUrlFor } from "./carriers";

/** Fills in a carrier's tracking URL from the tracking number where the ERP sent none. */
export const withTrackingUrls = (shipments: readonly Shipment[]): Shipment[] =>
  shipments.map((s) => {
    if (s.trackingUrl) return s;
    const url = trackingUrlFor(s.carrier, s.trackingNumber);
    return url ? { ...s, trackingUrl: url } : s;
  });
