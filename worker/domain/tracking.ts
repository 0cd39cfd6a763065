import type { Shipment } from "../contract";
import { trackingUrlFor } from "./carriers";

/** Fills in a carrier's tracking URL from the tracking number where the ERP sent none. */
export const withTrackingUrls = (shipments: readonly Shipment[]): Shipment[] =>
  shipments.map((s) => {
    if (s.trackingUrl) return s;
    const url = trackingUrlFor(s.carrier, s.trackingNumber);
    return url ? { ...s, trackingUrl: url } : s;
  });

/** Shipments as customers and staff see them: carrier, number and a tracking link where one is known. */
export const trackedShipments = (shipments: readonly Shipment[]): Array<Pick<Shipment, "carrier" | "trackingNumber" | "trackingUrl">> =>
  withTrackingUrls(shipments).map(({ carrier, trackingNumber, trackingUrl }) => ({ carrier, trackingNumber, ...(trackingUrl ? { trackingUrl } : {}) }));
