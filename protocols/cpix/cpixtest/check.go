package cpixtest

import (
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"streamhive/protocols/cpix"
)

// checkRequest holds a request to what the CPIX spec requires of one: a
// content id, at least one content key, each with a UUID kid and no
// secret; DRM systems, periods and usage rules that refer only to what
// the document declares; a delivery certificate that parses.
func checkRequest(d *cpix.Document) error {
	if d.ContentID == "" {
		return errors.New("CPIX@contentId is missing")
	}
	if len(d.Keys.Items) == 0 {
		return errors.New("ContentKeyList has no ContentKey")
	}
	kids := map[string]bool{}
	for _, k := range d.Keys.Items {
		if _, err := cpix.ParseUUID(k.KID); err != nil {
			return fmt.Errorf("ContentKey@kid: %w", err)
		}
		if k.Data != nil {
			return fmt.Errorf("ContentKey %s: a request carries no key data", k.KID)
		}
		kids[k.KID] = true
	}
	if err := checkSystems(d, kids); err != nil {
		return err
	}
	periods, err := checkPeriods(d)
	if err != nil {
		return err
	}
	if err := checkRules(d, kids, periods); err != nil {
		return err
	}
	return checkDelivery(d)
}

func checkSystems(d *cpix.Document, kids map[string]bool) error {
	if d.Systems == nil {
		return nil
	}
	for _, s := range d.Systems.Items {
		if !kids[s.KID] {
			return fmt.Errorf("DRMSystem@kid %s names no ContentKey", s.KID)
		}
		if _, err := cpix.ParseUUID(s.SystemID); err != nil {
			return fmt.Errorf("DRMSystem@systemId: %w", err)
		}
	}
	return nil
}

func checkPeriods(d *cpix.Document) (map[string]bool, error) {
	ids := map[string]bool{}
	if d.Periods == nil {
		return ids, nil
	}
	for _, p := range d.Periods.Items {
		if p.ID == "" {
			return nil, errors.New("ContentKeyPeriod@id is missing")
		}
		start, err1 := time.Parse(time.RFC3339, p.Start)
		end, err2 := time.Parse(time.RFC3339, p.End)
		if p.Index == "" && (err1 != nil || err2 != nil || !end.After(start)) {
			return nil, fmt.Errorf("ContentKeyPeriod %s: want an index or start < end", p.ID)
		}
		ids[p.ID] = true
	}
	return ids, nil
}

func checkRules(d *cpix.Document, kids, periods map[string]bool) error {
	if d.Rules == nil {
		return nil
	}
	for _, r := range d.Rules.Items {
		if !kids[r.KID] {
			return fmt.Errorf("ContentKeyUsageRule@kid %s names no ContentKey", r.KID)
		}
		for _, f := range r.Filters {
			if !periods[f.PeriodID] {
				return fmt.Errorf("KeyPeriodFilter@periodId %s names no ContentKeyPeriod", f.PeriodID)
			}
		}
	}
	return nil
}

func checkDelivery(d *cpix.Document) error {
	if d.Delivery == nil {
		return nil
	}
	for _, dd := range d.Delivery.Items {
		der, err := base64.StdEncoding.DecodeString(dd.DeliveryKey.X509.Certificate)
		if err != nil {
			return fmt.Errorf("DeliveryKey: %w", err)
		}
		if _, err := x509.ParseCertificate(der); err != nil {
			return fmt.Errorf("DeliveryKey: %w", err)
		}
	}
	return nil
}
